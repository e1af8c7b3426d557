/** The programmatic API: `import { check } from 'lambda-hang-check'`. */
export { check } from './check.js';
export type { CheckOptions, ProgressEvent } from './options.js';
export type * from './types.js';
