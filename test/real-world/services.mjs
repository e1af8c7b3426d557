/**
 * What the cases reach over loopback, started only when a selected case names it: the fake
 * AWS/HTTP endpoint, a port nothing listens on, and the database servers of
 * scripts/servers/servers.mjs. `stop()` ends all of them and is safe to call twice.
 */
import { createServer } from 'node:net';
import { startFakeServices } from '../../scripts/servers/fake-services.mjs';
import { startServers } from '../../scripts/servers/servers.mjs';

/** A loopback port that was free a moment ago and has nothing listening on it now. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the services in `needed` (a Set from servicesNeeded); resolves with their URLs and stop(). */
export async function startServices(needed, log) {
  const stops = [];
  const urls = {};
  const stop = async () => {
    const pending = stops.splice(0);
    await Promise.allSettled(pending.map((fn) => fn()));
  };
  try {
    if (needed.has('fake')) {
      const fake = await startFakeServices();
      stops.push(fake.close);
      urls.fakeUrl = fake.url;
      urls.fakeRequests = fake.requests;
    }
    if (needed.has('closedPort')) urls.closedPort = await closedPort();
    const databases = { postgres: needed.has('postgres'), mysql: needed.has('mysql'), redis: needed.has('redis') };
    if (Object.values(databases).some(Boolean)) {
      log(`starting ${Object.keys(databases).filter((name) => databases[name]).join(', ')}`);
      const servers = await startServers(databases);
      stops.push(servers.stop);
      Object.assign(urls, { postgres: servers.postgres, mysql: servers.mysql, redis: servers.redis });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}
