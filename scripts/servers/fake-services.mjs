/**
 * One loopback HTTP server that answers what the library fixtures call, so the real client
 * libraries run their real code (keep-alive agents, sockets, batching) without leaving the
 * machine:
 *   - the AWS JSON protocols (POST /, X-Amz-Target: <Service>.<Op>) of DynamoDB, SSM, Secrets
 *     Manager, EventBridge and SQS, with the smallest answer the SDK v3 accepts for each
 *     operation the corpus calls (an unknown operation of a known service answers `{}`);
 *   - Lambda's REST GetAccountSettings (GET /2016-08-19/account-settings);
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
  Scan: { Items: [{ id: { S: '1' }, name: { S: 'first' } }], Count: 1, ScannedCount: 1 },
};

/** Parameter and secret values echo the name asked for, so a handler's result shows what it read. */
const parseJson = (body) => {
  try {
    return JSON.parse(body || '{}');
  } catch {
    return {};
  }
};
const SSM_ANSWERS = {
  GetParameter: (input) => ({ Parameter: { Name: input.Name, Type: 'String', Value: `value-of-${input.Name}`, Version: 1 } }),
  PutParameter: () => ({ Version: 2, Tier: 'Standard' }),
};
const SECRETS_MANAGER_ANSWERS = {
  GetSecretValue: (input) => ({ ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.SecretId}`, Name: input.SecretId, SecretString: `secret-of-${input.SecretId}`, VersionId: '1' }),
};
const EVENTBRIDGE_ANSWERS = { PutEvents: (input) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `event-${i + 1}` })) }) };
const SQS_ANSWERS = { SendMessage: () => ({ MessageId: 'message-1', MD5OfMessageBody: '00000000000000000000000000000000' }) };

/** X-Amz-Target prefix → the protocol's content type and the answers by operation. */
const JSON_SERVICES = {
  DynamoDB_20120810: { contentType: 'application/x-amz-json-1.0', answers: Object.fromEntries(Object.entries(DYNAMODB_ANSWERS).map(([op, out]) => [op, () => out])) },
  AmazonSSM: { contentType: 'application/x-amz-json-1.1', answers: SSM_ANSWERS },
  secretsmanager: { contentType: 'application/x-amz-json-1.1', answers: SECRETS_MANAGER_ANSWERS },
  AWSEvents: { contentType: 'application/x-amz-json-1.1', answers: EVENTBRIDGE_ANSWERS },
  AmazonSQS: { contentType: 'application/x-amz-json-1.0', answers: SQS_ANSWERS },
};

const LAMBDA_ACCOUNT_SETTINGS = {
  AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
  AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
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
      const [service, operation] = target.split('.');
      if (JSON_SERVICES[service]) {
        const { contentType, answers } = JSON_SERVICES[service];
        return answer(200, answers[operation]?.(parseJson(body)) ?? {}, contentType);
      }
      if (request.method === 'GET' && url.pathname === '/2016-08-19/account-settings') return answer(200, LAMBDA_ACCOUNT_SETTINGS);
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
