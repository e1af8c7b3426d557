// A stand-in runtime for the emulator's own tests: speaks the Runtime API with fetch and
// behaves as FAKE_MODE says, so the emulator's freeze, deadline and exit handling can be
// checked without building the real client.
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
  if (action === 'error') {
    await fetch(`${api}/invocation/${id}/error`, {
      method: 'POST',
      body: JSON.stringify({ errorType: 'TypeError', errorMessage: `bad input #${count}`, trace: [] }),
    });
    continue;
  }
  const body = JSON.stringify({ count, ticks, event, headers, now: Date.now() });
  ticks = 0;
  await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body });
}
