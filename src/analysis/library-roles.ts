/**
 * What the library table's entries share: reading a resource's peer and delay from its
 * summary, and the roles a socket, request or timer plays for a database or an HTTP client.
 */
import type { Resource } from '../types.js';
import type { Role } from './libraries.js';

const IN_FLIGHT = /in flight|never read/;
/** A socket's end() or a write: part of a connection's life, not a request of the user's. */
const CONNECTION_REQUESTS = new Set(['SHUTDOWNWRAP', 'WRITEWRAP']);
export const peerOf = (resource: Resource): string => /(\[[^\]]+\]|[\w.-]+):\d+/.exec(resource.summary)?.[0] ?? 'the server';
export const msOf = (resource: Resource): string => /(\d+) ms/.exec(resource.summary)?.[1] ?? '?';
export const hasFrame = (resource: Resource, fn: string): boolean => resource.stack.some((frame) => frame.function === fn);
export const otherRole = (resource: Resource): Role => {
  if (resource.kind === 'request') return CONNECTION_REQUESTS.has(resource.type) ? 'activity' : 'request';
  return resource.kind === 'timer' || resource.kind === 'interval' ? 'work' : 'activity';
};
/** A database connection open and ref'd may be idle or busy; the socket alone cannot tell. */
export const databaseRole = (resource: Resource): Role => (resource.kind === 'socket' ? 'connection' : otherRole(resource));
/** Node's agent and undici unref idle keep-alive sockets: a ref'd one is carrying a request. */
export const httpRole = (resource: Resource): Role =>
  resource.kind === 'socket' ? (resource.ref || IN_FLIGHT.test(resource.summary) ? 'request' : 'connection') : otherRole(resource);

export const CALLBACK_NO_WAIT = 'set `context.callbackWaitsForEmptyEventLoop = false` before calling back: the runtime then answers at once and freezes the connection with the environment until the next request';
