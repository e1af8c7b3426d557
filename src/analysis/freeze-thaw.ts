/**
 * What a response leaves behind (semantics section 5): work still pending when Lambda
 * freezes the environment, callbacks of one invocation observed running in a later one,
 * and resources that pile up with every request. Pure functions over the run record.
 */
import type { ExecutionEvent, RawResource } from '../runner/protocol.js';
import type { InvocationRecord } from '../runner/run-record.js';
import type { FindingCode, Resource, ResourceKind } from '../types.js';
import { pluralOf, postedWord, withArticle } from './kind-words.js';

export interface FindingDraft {
  code: FindingCode;
  invocation: number;
  message: string;
  hint: string;
  resources: Resource[];
}

type ToResources = (raw: RawResource[]) => Resource[];

const FATE: Record<ResourceKind, string> = {
  timer: 'it fires at the next thaw, inside a later request, or never if Lambda reclaims the environment',
  interval: 'it keeps firing inside every later request',
  immediate: 'it runs at the next thaw, inside a later request',
  socket: 'the connection is suspended mid-flight; the peer may time out or close it meanwhile (ECONNRESET after the thaw)',
  request: 'the request is suspended mid-flight and completes, late, in a later request, or never',
  server: 'the server stops answering while frozen',
  'child-process': 'the child process is frozen with the environment',
  'fs-watcher': 'its events are delivered late, in a later request',
  promise: 'its continuation runs in a later request, or never',
  other: 'it resumes in a later request, or never',
};

export function pendingAtFreeze(record: InvocationRecord, toResources: ToResources): FindingDraft | null {
  const posted = record.outcome === 'response' || record.outcome === 'error';
  // After a process error the runtime exits instead of freezing: nothing is carried over.
  if (!posted || record.completedBy === 'process-error') return null;
  const own = toResources(record.lingering.filter((resource) => resource.origin === record.index));
  if (own.length === 0) return null;
  const kinds = [...new Set(own.map((resource) => resource.kind))];
  const fates = kinds.map((kind) => `${kind}: ${FATE[kind]}`).join('; ');
  // A grouped resource stands for `count` alike ones.
  const total = own.reduce((sum, resource) => sum + (resource.count ?? 1), 0);
  return {
    code: 'PENDING_AT_FREEZE',
    invocation: record.index,
    message: `The ${postedWord(record.outcome)} of invocation ${record.index} was posted while ${total === 1 ? `${withArticle(own[0]!.kind)} it started was` : `${total} resources it started were`} still pending; Lambda freezes ${total === 1 ? 'it' : 'them'} with the environment (${fates}).`,
    hint: 'Await the work before returning (await the request, await Promise.all(…), await client.flush()), or clear the timer; fire-and-forget work is frozen and may never finish.',
    resources: own,
  };
}

/** Callbacks observed running in an invocation later than the one that created them. */
export function ranAfterThaw(invocations: InvocationRecord[], executions: ExecutionEvent[], toResources: ToResources): FindingDraft[] {
  const starts = invocations
    .filter((record) => record.outcome !== 'not-run')
    .map((record) => ({ index: record.index, atNs: BigInt(record.startedAtNs) }))
    .sort((a, b) => (a.atNs < b.atNs ? -1 : 1));
  const byInvocation = new Map<number, Map<number, RawResource>>();
  for (const event of executions) {
    const at = BigInt(event.atNs);
    const during = starts.filter((start) => start.atNs <= at).at(-1)?.index;
    if (during === undefined || during <= event.resource.origin) continue;
    const seen = byInvocation.get(during) ?? new Map<number, RawResource>();
    seen.set(event.resource.asyncId, event.resource);
    byInvocation.set(during, seen);
  }
  return [...byInvocation].map(([during, seen]) => {
    const resources = toResources([...seen.values()]);
    const origins = [...new Set(resources.map((resource) => resource.invocation))].join(', ');
    return {
      code: 'RAN_AFTER_THAW' as const,
      invocation: during,
      message: `${resources.length === 1 ? `${capitalise(withArticle(resources[0]!.kind))} callback` : `${resources.length} callbacks`} of invocation ${origins} ran during invocation ${during}, after the thaw: its work, logs and errors land in another request.`,
      hint: 'Finish the work inside the invocation that started it: await it before returning, or cancel it (clearTimeout, abort the request) when the handler is done.',
      resources,
    };
  });
}

/** Ref'd resources from the same creation site that grow with every invocation. */
export function resourceGrowth(invocations: InvocationRecord[], toResources: ToResources): FindingDraft[] {
  const answered = invocations.filter((record) => record.outcome === 'response' || record.outcome === 'error');
  if (answered.length < 3 || new Set(answered.map((record) => record.environment)).size !== 1) return [];
  const counts = answered.map((record) => countBySite(toResources(record.lingering.filter((resource) => resource.origin > 0))));
  const last = counts.at(-1)!;
  const drafts: FindingDraft[] = [];
  for (const [site, group] of last) {
    // A grouped resource stands for `count` alike ones.
    const series = counts.map((count) => (count.get(site) ?? []).reduce((sum, resource) => sum + (resource.count ?? 1), 0));
    if (!series.every((value, i) => i === 0 || value > series[i - 1]!)) continue;
    drafts.push({
      code: 'RESOURCE_GROWTH',
      invocation: answered.at(-1)!.index,
      message: `Live ${pluralOf(group[0]!.kind)} created at ${site} grew with every invocation (${series.join(' → ')}): each request leaves one more behind.`,
      hint: `Create it once at module scope and reuse it, or close it before returning (${closeHint(group[0]!.kind)}).`,
      resources: group,
    });
  }
  return drafts;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function countBySite(resources: Resource[]): Map<string, Resource[]> {
  const sites = new Map<string, Resource[]>();
  for (const resource of resources) {
    if (!resource.location) continue;
    const site = `${resource.location.file}:${resource.location.line}`;
    sites.set(site, [...(sites.get(site) ?? []), resource]);
  }
  return sites;
}

function closeHint(kind: ResourceKind): string {
  switch (kind) {
    case 'interval':
      return 'clearInterval()';
    case 'timer':
      return 'clearTimeout()';
    case 'socket':
      return 'end() or destroy() the connection, or reuse one client';
    case 'server':
      return 'server.close()';
    case 'child-process':
      return 'wait for the child to exit';
    default:
      return 'close it';
  }
}
