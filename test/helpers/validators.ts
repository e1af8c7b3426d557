import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { repoRoot } from './run-cli.js';

const require = createRequire(import.meta.url);

/**
 * The official SARIF 2.1.0 schema (rtm.5, the last revision before the OASIS standard, identical
 * in structure), as shipped in an npm package, so the test never fetches anything. It is a
 * draft-04 schema; its only draft-04-specific keyword is `id`, renamed here for Ajv's draft-07.
 */
function loadSarifSchema(): object {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  const { $schema: _draft, id, ...rest } = schema;
  return { $id: id, ...rest };
}

// Format checks are not what these tests are about; `uri` etc. are accepted as strings. The SARIF
// schema's `language` pattern has a stray `]` that only a non-unicode RegExp accepts (as a literal).
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });

let sarif: ValidateFunction | null = null;
let report: ValidateFunction | null = null;

function explain(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
}

/** Schema errors of a SARIF log; empty when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): string[] {
  sarif ??= ajv.compile(loadSarifSchema());
  return sarif(log) ? [] : explain(sarif.errors);
}

/** Schema errors of a report against the shipped schema/report.schema.json. */
export function reportErrors(value: unknown): string[] {
  report ??= ajv.compile(JSON.parse(readFileSync(path.join(repoRoot, 'schema', 'report.schema.json'), 'utf8')));
  return report(value) ? [] : explain(report.errors);
}
