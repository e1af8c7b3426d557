// A stand-in runtime for the emulator's own tests: speaks the Runtime API with fetch and
// behaves as FAKE_MODE says, so the emulator's freeze, deadline and exit handling can be
// checked without building the real client. The `stream…` actions post a streamed response
// the way the real clients do (node:http, chunked, with error trailers).
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const mode = process.env.FAKE_MODE ?? 'respond';

if (mode === 'init-error') {
  await fetch(`${api}/init/error`, {
    method: 'POST',
    headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.HandlerNotFound' },
    body: JSON.stringify({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported', trace: [] }),
  });
  process.exit(129);
}
if (mode === 'exit-at-init') process.exit(5);

let count = 0;
let ticks = 0;
// Ticks every 20 ms while the process runs; a frozen process does not tick.
setInterval(() => ticks++, 20);
/** What the Runtime API answered to the last refused POST. */
let lastAnswer = null;
for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const id = next.headers.get('lambda-runtime-aws-request-id');
  const event = await next.json();
  count++;
  const headers = {
    deadlineMs: Number(next.headers.get('lambda-runtime-deadline-ms')),
    arn: next.headers.get('lambda-runtime-invoked-function-arn'),
    traceId: next.headers.get('lambda-runtime-trace-id'),
  };
  const action = event.action ?? mode;
  if (action === 'hang') continue; // asks for /next again without answering: never answered
  if (action === 'sleep') await new Promise((resolve) => setTimeout(resolve, 60_000));
  if (action === 'exit') process.exit(event.code ?? 3);
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  if (action === 'stream' || action === 'stream-error' || action === 'stream-unfinished') {
    await streamResponse(id, action, count);
    continue;
  }
  if (action === 'error') {
    await fetch(`${api}/invocation/${id}/error`, {
      method: 'POST',
      body: JSON.stringify({ errorType: 'TypeError', errorMessage: `bad input #${count}`, trace: [] }),
    });
    continue;
  }
  if (action === 'too-large') {
    // One byte over the limit, then report the answer in the next response.
    const answer = await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body: JSON.stringify('x'.repeat(6 * 1024 * 1024 + 99)) });
    lastAnswer = { status: answer.status, body: await answer.json() };
    continue;
  }
  const body = JSON.stringify({ count, ticks, event, headers, now: Date.now(), lastAnswer });
  ticks = 0;
  await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body });
}

/**
 * A streamed response: an HTTP integration prelude, 8 NUL bytes, then (150 ms later) a chunk;
 * `stream-error` ends with error trailers, `stream-unfinished` never ends the body.
 */
async function streamResponse(id, action, count) {
  const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
  const req = request({
    host,
    port: Number(port),
    method: 'POST',
    path: `/2018-06-01/runtime/invocation/${id}/response`,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Content-Type': 'application/vnd.awslambda.http-integration-response',
      'Transfer-Encoding': 'chunked',
      Trailer: ['Lambda-Runtime-Function-Error-Type', 'Lambda-Runtime-Function-Error-Body'],
    },
  });
  const answered = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
  req.write('{"statusCode":201}');
  req.write(new Uint8Array(8));
  await sleep(150);
  req.write(`chunk #${count}`);
  if (action === 'stream-unfinished') return new Promise(() => {});
  if (action === 'stream-error') {
    const error = { errorType: 'Error', errorMessage: 'failed mid-stream', trace: [] };
    req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64') });
  }
  req.end();
  await answered;
}
