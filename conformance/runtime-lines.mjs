/**
 * The runtime lines under test: which npm build of the runtime interface client runs under
 * which Node major, how that client is started, and the function environment and Node flags
 * a managed runtime gives it (lambda-runtime-semantics.md sections 1.2, 4 and 6).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const LINES = [
  {
    runtime: 'nodejs22.x',
    ric: '3.3.0',
    nodeMajor: 22,
    // Node 22 runs with both flags on the managed runtime [DOC "Building Lambda functions with Node.js"].
    nodeFlags: ['--no-experimental-require-module', '--no-experimental-detect-module'],
    entry: legacyEntry,
  },
  {
    runtime: 'nodejs24.x',
    ric: '4.0.2',
    nodeMajor: 24,
    nodeFlags: [],
    entry: v4Entry,
  },
  {
    runtime: 'nodejs20.x',
    ric: '3.3.0',
    nodeMajor: 20,
    nodeFlags: ['--no-experimental-require-module'],
    entry: legacyEntry,
  },
];

/**
 * The legacy client's npm `bin` (bin/index.mjs): the handler string is argv[2] and the task
 * root is the working directory; it then calls run(appRoot, handler). The managed image starts
 * the same run() from its own entry script with LAMBDA_TASK_ROOT and _HANDLER.
 */
function legacyEntry(packageDir, handler) {
  return { args: [path.join(packageDir, 'bin', 'index.mjs'), handler] };
}

/** The 4.x client's bin is its bundle, index.mjs; it reads _HANDLER and LAMBDA_TASK_ROOT. */
function v4Entry(packageDir) {
  return { args: [path.join(packageDir, 'index.mjs')] };
}

export const REGION = 'us-east-1';

export function functionArn(functionName) {
  return `arn:aws:lambda:${REGION}:123456789012:function:${functionName}`;
}

/** A function name from a module name, as the tool names file targets. */
export function toFunctionName(name) {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'function';
}

/**
 * The variables the platform sets [DOC "Defined runtime environment variables"], with the
 * same placeholder credentials and values the tool uses, so that a handler echoing them
 * answers the same on both sides. AWS_LAMBDA_RUNTIME_API is set by the emulator.
 */
export function functionEnv({ runtime, functionName, handler, taskRoot, memoryMB = 128, extra = {} }) {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    _HANDLER: handler,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMB),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${date}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_ACCESS_KEY_ID: 'ASIALAMBDAHANGCHECK0',
    AWS_SECRET_ACCESS_KEY: 'lambda-hang-check-placeholder-secret',
    AWS_SESSION_TOKEN: 'lambda-hang-check-placeholder-token',
    AWS_EC2_METADATA_DISABLED: 'true',
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    // What the managed bootstrap exports when the function sets no NODE_PATH: /opt is the layers', /var/task the code's.
    NODE_PATH: [`/opt/nodejs/node${/\d+/.exec(runtime)[0]}/node_modules`, '/opt/nodejs/node_modules', '/var/runtime/node_modules', '/var/runtime', taskRoot].join(':'),
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return { ...env, ...extra };
}

/** Heap sizing as the managed bootstrap does it: a tenth of the memory to the young generation. */
export function heapFlags(memoryMB = 128) {
  const newSpace = Math.floor(memoryMB / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMB - newSpace}`];
}
