/**
 * The pure half of the real-world runner: placeholders, the command line of a case, which
 * services a set of cases needs, and the comparison of a JSON report with a case's
 * expectation. Nothing here touches the file system, processes or the network.
 */

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;

/** Which service each placeholder needs started; the runner starts only those asked for. */
const SERVICE_OF = {
  AWS_ENDPOINT: 'fake',
  HTTP_ENDPOINT: 'fake',
  CLOSED_PORT: 'closedPort',
  PG_URL: 'postgres', PG_HOST: 'postgres', PG_PORT: 'postgres',
  MYSQL_URL: 'mysql', MYSQL_HOST: 'mysql', MYSQL_PORT: 'mysql',
  REDIS_URL: 'redis', REDIS_HOST: 'redis', REDIS_PORT: 'redis',
};

/** Every string of a case that may hold placeholders: its args and its env values. */
function placeholderStrings(testCase) {
  return [...(testCase.args ?? []), ...Object.values(testCase.env ?? {})];
}

/** The services (`fake`, `closedPort`, `postgres`, `mysql`, `redis`) the cases name; unknown names throw. */
export function servicesNeeded(cases) {
  const needed = new Set();
  for (const testCase of cases) {
    for (const text of placeholderStrings(testCase)) {
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        if (!(name in SERVICE_OF)) throw new Error(`unknown placeholder {{${name}}} in case '${testCase.name}'`);
        needed.add(SERVICE_OF[name]);
      }
    }
  }
  return needed;
}

/** The placeholder values for started services: URLs in, `{{NAME}}` → value out. */
export function placeholderValues({ fakeUrl, closedPort, postgres, mysql, redis } = {}) {
  const values = {};
  if (fakeUrl) Object.assign(values, { AWS_ENDPOINT: fakeUrl, HTTP_ENDPOINT: fakeUrl });
  if (closedPort) values.CLOSED_PORT = String(closedPort);
  const add = (prefix, url) => {
    if (!url) return;
    const parsed = new URL(url);
    Object.assign(values, { [`${prefix}_URL`]: url, [`${prefix}_HOST`]: parsed.hostname, [`${prefix}_PORT`]: parsed.port });
  };
  add('PG', postgres);
  add('MYSQL', mysql);
  add('REDIS', redis);
  return values;
}

/** Replaces every `{{NAME}}`; a name without a value throws (a service that was not started). */
export function substitute(text, values) {
  return text.replace(PLACEHOLDER, (_, name) => {
    if (!(name in values)) throw new Error(`no value for placeholder {{${name}}}`);
    return values[name];
  });
}

/**
 * The CLI arguments of a case: `--format json`, `--jobs 1` unless the case sets its own, the
 * case's args, then each env entry as `--env K=V`, all with placeholders substituted.
 */
export function caseArguments(testCase, values) {
  const args = (testCase.args ?? []).map((arg) => substitute(arg, values));
  const setsJobs = args.some((arg) => arg === '-j' || arg === '--jobs' || arg.startsWith('--jobs='));
  const env = Object.entries(testCase.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${substitute(value, values)}`]);
  return ['--format', 'json', ...(setsJobs ? [] : ['--jobs', '1']), ...args, ...env];
}

const sortedCodes = (result) => [...new Set((result.findings ?? []).map((finding) => finding.code))].sort();
const locationOf = (finding) => (finding.location ? `${finding.location.file}:${finding.location.line}` : null);

/**
 * The differences between a report and a case's expectation, as lines of text (none: it
 * matches). `status` is the CLI's exit status, `report` its parsed JSON or undefined.
 */
export function compareReport(expect, status, report) {
  const diffs = [];
  if (status !== expect.exit) diffs.push(`exit: expected ${expect.exit}, got ${status}`);
  if (!report) return [...diffs, 'no JSON report on stdout'];
  const results = report.results ?? [];
  if (results.length !== expect.results.length) {
    diffs.push(`targets: expected ${expect.results.length}, got ${results.length} (${results.map((r) => r.target).join(', ')})`);
  }
  expect.results.forEach((wanted, i) => {
    const got = results[i];
    if (!got) return;
    const name = `target ${i + 1} (${got.target})`;
    if (!got.target.startsWith(wanted.target)) diffs.push(`${name}: expected a target starting with '${wanted.target}'`);
    if (got.verdict !== wanted.verdict) diffs.push(`${name}: verdict expected ${wanted.verdict}, got ${got.verdict}`);
    const codes = sortedCodes(got);
    const wantedCodes = [...new Set(wanted.codes)].sort();
    if (codes.join() !== wantedCodes.join()) diffs.push(`${name}: codes expected [${wantedCodes.join(', ')}], got [${codes.join(', ')}]`);
    for (const [code, where] of Object.entries(wanted.locations ?? {})) {
      const at = (got.findings ?? []).filter((finding) => finding.code === code).map(locationOf);
      if (at.length > 0 && !at.includes(where)) diffs.push(`${name}: ${code} expected at ${where}, got ${at.map((l) => l ?? 'no location').join(', ')}`);
    }
  });
  return diffs;
}

/** The verdict line of one case: `ok`, `FAIL` or `known gap` (a difference the case expects to see). */
export function caseStatus(testCase, diffs) {
  if (diffs.length === 0) return 'ok';
  return testCase.knownGap ? 'known gap' : 'FAIL';
}

/** Checks a parsed cases.json for the fields the runner relies on; returns the problems found. */
export function validateCases(file) {
  const problems = [];
  if (!Array.isArray(file?.cases)) return ['no "cases" array'];
  const names = new Set();
  for (const [i, testCase] of file.cases.entries()) {
    const label = `case ${i + 1}${testCase?.name ? ` '${testCase.name}'` : ''}`;
    if (typeof testCase?.name !== 'string' || testCase.name === '') problems.push(`${label}: no name`);
    else if (names.has(testCase.name)) problems.push(`${label}: duplicate name`);
    names.add(testCase?.name);
    if (!Array.isArray(testCase?.args)) problems.push(`${label}: args must be an array`);
    const expect = testCase?.expect;
    if (typeof expect?.exit !== 'number') problems.push(`${label}: expect.exit must be a number`);
    if (!Array.isArray(expect?.results)) {
      problems.push(`${label}: expect.results must be an array`);
      continue;
    }
    for (const [j, result] of expect.results.entries()) {
      if (typeof result.target !== 'string' || !['pass', 'fail', 'skipped'].includes(result.verdict) || !Array.isArray(result.codes)) {
        problems.push(`${label}: result ${j + 1} needs target, verdict (pass|fail|skipped) and codes`);
      }
      if (typeof result.reason !== 'string' || result.reason === '') problems.push(`${label}: result ${j + 1} needs a reason`);
    }
  }
  return problems;
}
