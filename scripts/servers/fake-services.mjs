/**
 * One loopback HTTP server that answers what the library fixtures call, so the real client
 * libraries run their real code (keep-alive agents, sockets, batching) without leaving the
 * machine:
 *   - the AWS SDK v3 DynamoDB JSON protocol (POST /, X-Amz-Target: DynamoDB_20120810.<Op>);
 *   - Segment's batch endpoint (POST /v1/batch) and any other POST: `{ "success": true }`;
 *   - any GET: `{ "ok": true, "path": … }`, after `?delayMs=N` if asked.
 * Its keep-alive timeout is set by the caller: the server closes idle connections after it,
 * which is what a frozen client's pooled socket does not notice.
 */
import { createServer } from 'node:http';

const DYNAMODB_ANSWERS = {
  GetItem: { Item: { id: { S: '1' }, visits: { N: '1' } } },
  PutItem: {},
  Query: { Items: [], Count: 0, ScannedCount: 0 },
};

/** Starts the server on 127.0.0.1; resolves with its URL, the requests seen, and close(). */
export function startFakeServices({ keepAliveTimeoutMs = 5000 } = {}) {
  const requests = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const target = String(request.headers['x-amz-target'] ?? '');
      requests.push({ method: request.method, path: url.pathname, target, body });
      const answer = (status, json, contentType = 'application/json') => {
        response.writeHead(status, { 'content-type': contentType });
        response.end(JSON.stringify(json));
      };
      if (target.startsWith('DynamoDB_20120810.')) {
        const operation = target.slice('DynamoDB_20120810.'.length);
        return answer(200, DYNAMODB_ANSWERS[operation] ?? {}, 'application/x-amz-json-1.0');
      }
      if (request.method === 'POST') return answer(200, { success: true });
      const delayMs = Math.min(Number(url.searchParams.get('delayMs') ?? 0), 10_000);
      setTimeout(() => answer(200, { ok: true, path: url.pathname }), delayMs);
    });
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
