/** Keeps a report small however many alike resources a handler leaves behind. */
import type { RawResource } from '../runner/protocol.js';

/** Above this many, alike resources are reported once with a count: the report stays small. */
const GROUP_ABOVE = 50;
/** However diverse they are, no more entries than this while a coarser grouping is left. */
const MAX_ENTRIES = 100;

const siteOf = (resource: RawResource): string => {
  const top = resource.frames[0];
  return `${top?.file}:${top?.line}:${top?.column}`;
};
/** Finest first: same site and summary; same site (jittered periods, per-call ids); same type. */
const GROUP_KEYS: Array<(resource: RawResource) => string> = [
  (resource) => `${resource.type}|${resource.origin}|${resource.summary}|${siteOf(resource)}`,
  (resource) => `${resource.type}|${resource.origin}|${siteOf(resource)}`,
  (resource) => `${resource.type}|${resource.origin}`,
];

/** Thousands of timers from one line are one problem: keep one of each site, with a count. */
export function groupAlike(resources: RawResource[]): RawResource[] {
  if (resources.length <= GROUP_ABOVE) return resources;
  let grouped = resources;
  for (const keyOf of GROUP_KEYS) {
    const groups = new Map<string, RawResource>();
    for (const resource of grouped) {
      const key = keyOf(resource);
      const group = groups.get(key);
      if (!group) groups.set(key, { ...resource });
      else {
        group.count = (group.count ?? 1) + (resource.count ?? 1);
        if (group.summary !== resource.summary && !group.summary.endsWith(ALIKE)) group.summary += ALIKE;
      }
    }
    grouped = [...groups.values()];
    if (grouped.length <= MAX_ENTRIES) break;
  }
  return grouped;
}

/** Marks a group whose members differ in their summaries: the first one's stands for all. */
const ALIKE = ' (and others alike)';
