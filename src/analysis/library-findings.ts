/**
 * Findings in the words of the library behind them: the message names the library and the
 * user's line that created its object, the hint is that library's fix for the situation, and
 * resource summaries say what the socket or timer is to the library. Also the connections a
 * response leaves idle across the freeze (IDLE_CONNECTION_AT_FREEZE), which are kept on
 * purpose and so are not PENDING_AT_FREEZE work. Pure: source text comes through the `SourceLines` it is given.
 */
import type { RawResource } from '../runner/protocol.js';
import type { InvocationRecord } from '../runner/run-record.js';
import type { FindingCode, Resource, Severity, SourceLocation } from '../types.js';
import type { FrameContext, SourceLines } from './frames.js';
import type { Role, Situation } from './libraries.js';
import { postedWord } from './kind-words.js';
import { findCreationSite, isModuleScope, matchLibrary, type LibraryMatch } from './library-match.js';

interface Recognised extends LibraryMatch {
  resource: Resource;
  role: Role;
  site: SourceLocation | null;
}

interface FindingText {
  message: string;
  hint: string;
  location: SourceLocation | null;
}

export interface LibraryFindingDraft extends FindingText {
  code: FindingCode;
  invocation: number;
  severity: Severity;
  resources: Resource[];
}

/**
 * Open sockets that did not hold the loop at the response (idle keep-alive and pool sockets
 * are unref'd): the runner may report them beside `lingering`; they sit across the freeze too.
 */
export type RecordWithIdleSockets = InvocationRecord & { unrefedSockets?: RawResource[] };

const SITUATION_BY_CODE: Partial<Record<FindingCode, 'emptyLoop' | Situation>> = {
  TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP: 'emptyLoop',
  RESPONSE_DELAYED_BY_EVENT_LOOP: 'emptyLoop',
  TIMEOUT_HANDLER_PENDING: 'deadline',
  PENDING_AT_FREEZE: 'pending',
  RAN_AFTER_THAW: 'pending',
  RESOURCE_GROWTH: 'growth',
};

/** `read`: the target's source lines, shared with the other readers of the user's code. */
export function createLibraryLens(ctx: FrameContext, read: SourceLines) {
  const recognise = (resource: Resource): Recognised | null => {
    const match = matchLibrary(resource);
    if (!match) return null;
    const site = findCreationSite(match, resource, read, ctx.handlerFile ?? null);
    return { ...match, resource, role: match.library.role(resource), site };
  };
  const recogniseAll = (resources: Resource[]): Recognised[] => resources.map(recognise).filter((found) => found !== null);
  const isKept = (group: Recognised[]): boolean =>
    group[0]!.site ? isModuleScope(group[0]!.site, read) : group.some((found) => found.resource.createdIn === 'init');

  return {
    /** The finding's message, hint and location with the library named, for the codes where that helps. */
    explain(code: FindingCode, text: FindingText, resources: Resource[]): FindingText {
      const wanted = SITUATION_BY_CODE[code];
      const groups = groupByObject(recogniseAll(resources));
      if (!wanted || groups.length === 0) return text;
      const hints = groups.map((group) => {
        const { fixes } = group[0]!.library;
        const situation = wanted === 'emptyLoop' ? (isKept(group) ? 'emptyLoopKept' : 'emptyLoopPerRequest') : wanted;
        // Clients lent out and never given back: growth is that leak; anything else needs it fixed too.
        if (!group.some(isUnreleased) || !fixes.unreleased) return fixes[situation];
        return situation === 'growth' ? fixes.unreleased : [fixes[situation], fixes.unreleased].filter(Boolean).join(' ');
      });
      const known = [...new Set(hints.filter((hint) => hint !== undefined))];
      const unrecognised = resources.length > groups.flat().length;
      return {
        message: `${text.message.replace(/\.$/, '')}: ${groups.map(describeGroup).join('; ')}.`,
        hint: known.length === 0 ? text.hint : `${known.join(' ')}${unrecognised ? ` For the rest: ${text.hint}` : ''}`,
        // Growth is about the line that runs each time, and so is a client never released (the
        // line that checked it out); everything else, the object to fix.
        location: code === 'RESOURCE_GROWTH' ? text.location : ((groups[0]!.some(isUnreleased) ? groups[0]![0]!.resource.location : null) ?? groups[0]![0]!.site ?? text.location),
      };
    },

    /**
     * What a response left behind, minus the upkeep of connections a library keeps on purpose
     * (the sockets, their callbacks and shutdowns, the pool's idle timer): a pooled connection
     * reused by the next request is not work left over from this one.
     */
    withoutConnectionUpkeep(resources: Resource[]): Resource[] {
      const upkeep = new Set(recogniseAll(resources).filter(isConnectionUpkeep).map((found) => found.resource));
      return resources.filter((resource) => !upkeep.has(resource));
    },

    /**
     * IDLE_CONNECTION_AT_FREEZE, once per connection, at its first freeze. A connection kept for
     * reuse (created at Init or at module scope) counts at once; one the request opened counts
     * only if it was still open when the next request ended: `await redis.quit()` resolves a
     * moment before the socket closes, and that is no leak.
     */
    idleConnections(invocations: RecordWithIdleSockets[], toResources: (raw: RawResource[]) => Resource[]): LibraryFindingDraft[] {
      const answered = invocations.filter((record) => (record.outcome === 'response' || record.outcome === 'error') && record.completedBy !== 'process-error');
      const openAt = (record: RecordWithIdleSockets): RawResource[] => [...record.lingering, ...(record.unrefedSockets ?? [])];
      const reported = new Set<number>();
      const drafts: LibraryFindingDraft[] = [];
      answered.forEach((record, i) => {
        const next = answered[i + 1]?.environment === record.environment ? answered[i + 1] : undefined;
        const stillOpen = new Set(next ? openAt(next).map((raw) => raw.asyncId) : []);
        const found = recogniseAll(toResources(openAt(record)));
        const fresh = found.filter((item) => item.library.keepsConnections && item.role === 'connection' && item.resource.kind === 'socket' && !reported.has(item.resource.asyncId));
        // A client checked out and not released is a leak once the next request has taken one more
        // (a client kept checked out on purpose stays one); with no next request, it is one at once.
        const lentAtNext = next ? recogniseAll(toResources(openAt(next))).filter(isUnreleased) : [];
        const leases = groupByObject(fresh.filter(isUnreleased)).filter((group) => !next || countLike(lentAtNext, group[0]!) > group.length);
        for (const group of leases) {
          group.forEach((item) => reported.add(item.resource.asyncId));
          drafts.push(unreleasedDraft(record.index, group));
        }
        for (const group of groupByObject(fresh.filter((item) => !reported.has(item.resource.asyncId)))) {
          const kept = isKept(group);
          const leaked = kept ? group : group.filter((item) => stillOpen.has(item.resource.asyncId));
          if (leaked.length === 0) continue;
          leaked.forEach((item) => reported.add(item.resource.asyncId));
          const timers = found.filter((item) => item.role === 'idle-timer' && item.library === group[0]!.library);
          drafts.push(idleDraft(record.index, postedWord(record.outcome), leaked, timers, kept));
        }
      });
      return drafts;
    },

    /**
     * Summaries in the library's terms (`pg Pool: client connection to 10.0.0.5:5432`). Those
     * recognised by their summary (node:http, fetch) already say what they are.
     */
    annotate(resources: Resource[]): Resource[] {
      return resources.map((resource) => {
        const found = recognise(resource);
        if (!found || found.library.summary?.test(resource.summary)) return resource;
        return { ...resource, summary: `${labelOf(found)}: ${found.library.describe(resource, found.role)}` };
      });
    },
  };
}

export type LibraryLens = ReturnType<typeof createLibraryLens>;

function isUnreleased(found: Recognised): boolean {
  return found.library.unreleased?.(found.resource) != null;
}

/** How many of `found` belong to the same library object as `like`. */
function countLike(found: Recognised[], like: Recognised): number {
  return groupByObject([like, ...found]).find((group) => group[0] === like)!.length - 1;
}

/** A pooled client lent out and never given back: the pool runs dry after `max` requests. */
function unreleasedDraft(invocation: number, group: Recognised[]): LibraryFindingDraft {
  const first = group[0]!;
  const plural = group.length > 1;
  return {
    code: 'IDLE_CONNECTION_AT_FREEZE',
    invocation,
    severity: 'error',
    message: `The response of invocation ${invocation} left ${plural ? `${group.length} clients` : 'a client'} of ${describeGroup(group)} across the freeze: ${first.library.unreleased!(first.resource)}.`,
    hint: first.library.fixes.unreleased ?? first.library.fixes.idle ?? '',
    // The line that checked the client out (it opened the connection), not the pool's creation.
    location: first.resource.location ?? first.site,
    resources: group.map((item) => item.resource),
  };
}

function isConnectionUpkeep(found: Recognised): boolean {
  return found.library.keepsConnections && (found.role === 'connection' || found.role === 'idle-timer' || found.role === 'activity');
}

function idleDraft(invocation: number, posted: 'response' | 'error', group: Recognised[], timers: Recognised[], kept: boolean): LibraryFindingDraft {
  const { library } = group[0]!;
  const plural = group.length > 1;
  const them = plural ? 'them' : 'it';
  const checks = group[0]!.object.checksBeforeUse;
  let risk: string;
  if (checks && kept) risk = `; the ${group[0]!.object.name.toLowerCase()} ${checks}, so one the server closed during the freeze is replaced before the next request uses it`;
  else if (timers.length > 0 && library.idleTimerCloses) risk = `; ${library.idleTimerCloses}`;
  else if (timers.length > 0) risk = `; its idle timer (${/(\d+) ms/.exec(timers[0]!.resource.summary)?.[1] ?? '?'} ms) closes ${them} at the thaw, before the next request, if the freeze lasts longer`;
  else if (kept) risk = `: the server, a proxy or a NAT may close ${them} while the environment is frozen, and the next request that uses ${them} fails with ECONNRESET or waits on a dead connection`;
  else risk = `, and ${plural ? 'they were' : 'it was'} still open when the next request ended: nothing closes ${them}, and each request opens another`;
  const isProtected = timers.length > 0 || (checks !== undefined && kept);
  const situation: Situation = isProtected ? 'idleProtected' : kept ? 'idle' : 'growth';
  return {
    code: 'IDLE_CONNECTION_AT_FREEZE',
    invocation,
    severity: isProtected ? 'info' : 'warning',
    message: `The ${posted} of invocation ${invocation} left ${plural ? `${group.length} idle connections` : 'an idle connection'} of ${describeGroup(group)} open across the freeze${risk}.`,
    hint: library.fixes[situation] ?? library.fixes.idle ?? '',
    location: group[0]!.site ?? group[0]!.resource.location,
    resources: [...group, ...timers].map((item) => item.resource),
  };
}

/** Resources of one library object (one pool, one client), in order of appearance. */
function groupByObject(found: Recognised[]): Recognised[][] {
  const groups = new Map<string, Recognised[]>();
  for (const item of found) {
    const site = item.site ? `${item.site.file}:${item.site.line}` : '';
    const key = `${item.library.name}|${item.object.name}|${site}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

function labelOf({ library, object }: LibraryMatch): string {
  return object.verb === 'called' ? library.name : `${library.name} ${object.name}`;
}

/** `pg Pool created at src/db.js:6, via node_modules/pg-pool/index.js:449 (client connection to …, idle-client timer …)`. */
function describeGroup(group: Recognised[]): string {
  const first = group[0]!;
  const where = first.site ? ` ${first.object.verb ?? 'created'} at ${first.site.file}:${first.site.line}` : '';
  const via = group.find((item) => item.resource.via)?.resource.via;
  const parts = [...new Set(group.map((item) => item.library.describe(item.resource, item.role)))];
  return `${labelOf(first)}${where}${via ? `, via ${via}` : ''} (${parts.join(', ')})`;
}
