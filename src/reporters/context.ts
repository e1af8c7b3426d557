import type { ChalkInstance } from 'chalk';
import type { CheckReport, FailOn } from '../types.js';

/** What `cli.ts` hands every reporter; colour is decided there (TTY, NO_COLOR, --no-color), never here. */
export interface ReporterContext {
  chalk: ChalkInstance;
  verbose: boolean;
  /** The `--fail-on` threshold: JUnit makes a `<failure>` of findings at or above it. Default `error`. */
  failOn?: FailOn;
}

/** A reporter turns a report into text and nothing else: `cli.ts` writes it and sets the exit code. */
export type Reporter = (report: CheckReport, ctx: ReporterContext) => string;
