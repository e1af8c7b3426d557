import type { ChalkInstance } from 'chalk';
import type { CheckReport } from '../types.js';

/** What `cli.ts` hands every reporter; colour is decided there (TTY, NO_COLOR, --no-color), never here. */
export interface ReporterContext {
  chalk: ChalkInstance;
  verbose: boolean;
}

/** A reporter turns a report into text and nothing else: `cli.ts` writes it and sets the exit code. */
export type Reporter = (report: CheckReport, ctx: ReporterContext) => string;
