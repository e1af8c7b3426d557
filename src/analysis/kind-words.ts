/**
 * Resource kinds in a sentence: the article before a kind depends on how the kind is spoken
 * (`an interval`, `an fs-watcher`), and `other` reads as "resource" after an article.
 */
import type { ResourceKind } from '../types.js';

const SINGULAR: Record<ResourceKind, string> = {
  timer: 'a timer',
  interval: 'an interval',
  immediate: 'an immediate',
  socket: 'a socket',
  server: 'a server',
  'child-process': 'a child-process',
  'fs-watcher': 'an fs-watcher',
  request: 'a request',
  promise: 'a promise',
  other: 'a resource',
};

const PLURAL: Record<ResourceKind, string> = {
  timer: 'timers',
  interval: 'intervals',
  immediate: 'immediates',
  socket: 'sockets',
  server: 'servers',
  'child-process': 'child-processes',
  'fs-watcher': 'fs-watchers',
  request: 'requests',
  promise: 'promises',
  other: 'resources',
};

/** `an interval`, `a timer`, `a resource` (for `other`). */
export function withArticle(kind: ResourceKind): string {
  return SINGULAR[kind];
}

/** `intervals`, `child-processes`, `resources` (for `other`). */
export function pluralOf(kind: ResourceKind): string {
  return PLURAL[kind];
}

/** What an answered invocation posted, for sentences that start "The … of invocation N". */
export function postedWord(outcome: string): 'response' | 'error' {
  return outcome === 'error' ? 'error' : 'response';
}
