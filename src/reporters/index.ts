import { UsageError } from '../errors.js';
import type { Reporter } from './context.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type { Reporter, ReporterContext } from './context.js';

/** `--format` name → reporter. Names are public (scripts pass them): add, never rename. */
export const REPORTERS = {
  text: renderText,
  json: (report) => renderJson(report),
  junit: renderJunit,
  sarif: (report) => renderSarif(report),
  github: (report) => renderGithub(report),
} as const satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof REPORTERS;

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

/** The reporter for a `--format` value; an unknown name is the user's mistake, so a `UsageError`. */
export function getReporter(name: string): Reporter {
  // hasOwn, not `in`: `--format toString` must not find Object.prototype.toString.
  if (Object.hasOwn(REPORTERS, name)) return REPORTERS[name as ReporterName];
  throw new UsageError(`unknown format "${name}"`, `Use one of: ${REPORTER_NAMES.join(', ')}.`);
}
