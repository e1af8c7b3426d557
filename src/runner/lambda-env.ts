/**
 * The function's environment, as Lambda sets it (semantics section 4), plus the user's
 * --env. Placeholder credentials and a disabled metadata endpoint keep SDKs from ever
 * reaching for the network to find credentials.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { majorOf } from '../runtime-rules.js';
import type { RuntimeId } from '../types.js';

export interface LambdaEnvOptions {
  runtime: RuntimeId;
  functionName: string;
  handler: string;
  taskRoot: string;
  memoryMB: number;
  userEnv: Record<string, string>;
  /** Local directories of the function's layers (what Lambda unpacks into /opt), oldest first. */
  layers?: string[];
  /** The node_modules standing for the runtime's own AWS SDK (/var/runtime/node_modules), if there is one. */
  runtimeModules?: string | null;
}

export const REGION = 'us-east-1';

export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${REGION}:123456789012:function:${functionName}`;
}

export function buildLambdaEnv(options: LambdaEnvOptions): NodeJS.ProcessEnv {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    _HANDLER: options.handler,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_${options.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMB),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${date}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_ACCESS_KEY_ID: 'ASIALAMBDAHANGCHECK0',
    AWS_SECRET_ACCESS_KEY: 'lambda-hang-check-placeholder-secret',
    AWS_SESSION_TOKEN: 'lambda-hang-check-placeholder-token',
    AWS_EC2_METADATA_DISABLED: 'true',
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    NODE_PATH: lambdaNodePath(options.runtime, options.taskRoot, options.layers ?? [], options.runtimeModules ?? null).join(':'),
  };
  for (const key of Object.keys(base)) if (base[key] === undefined) delete base[key];
  return { ...base, ...options.userEnv };
}

/**
 * The bootstrap's NODE_PATH, which applies when the function sets none (its own NODE_PATH, in
 * `userEnv`, replaces it): the layers' `nodejs/node<major>/node_modules` and
 * `nodejs/node_modules` (/opt, where a later layer's files win over an earlier one's), then
 * the task root (/var/task), so a bare `require('lib/db')` finds `lib/db.js` there as on
 * Lambda. Between them, /var/runtime/node_modules holds the runtime's own AWS SDK: here the
 * folder `install-runtime --aws-sdk` fills, when there is one. Lambda's runtimes also search
 * these folders for ES module imports, and so does the harness (harness/esm-node-path-hooks.ts).
 */
export function lambdaNodePath(runtime: RuntimeId, taskRoot: string, layers: string[], runtimeModules: string | null = null): string[] {
  const major = majorOf(runtime);
  const newestFirst = [...layers].reverse();
  return [
    ...newestFirst.map((layer) => join(layer, 'nodejs', `node${major}`, 'node_modules')),
    ...newestFirst.map((layer) => join(layer, 'nodejs', 'node_modules')),
    ...(runtimeModules ? [runtimeModules] : []),
    taskRoot,
  ];
}

/** Node flags: the managed runtime's, where this Node knows them, and Lambda's heap sizing. */
/** `accepted`: the flags the Node that runs the handler knows (an older major lacks some). */
export function nodeArgsFor(flags: string[], memoryMB: number, accepted: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string[] {
  const known = flags.filter((flag) => accepted.has(flag));
  // Lambda's bootstrap gives a tenth of the memory to the young generation, the rest to old space.
  const newSpace = Math.floor(memoryMB / 10);
  return [
    ...known,
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMB - newSpace}`,
    // Opens nothing by itself: lets the parent start an inspector on loopback, on a random
    // port, only when the thread is stuck at a deadline (SIGUSR1), to read where.
    '--inspect-port=127.0.0.1:0',
  ];
}
