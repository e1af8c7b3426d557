// The floor of attribution by async chain, for the overhead table: an async hook that only
// copies an origin tag from the running resource to each new one (promises included), as the
// tracker does, with no records and no creation stacks. Preloaded with --import.
import { createHook, executionAsyncResource } from 'node:async_hooks';

const kOrigin = Symbol('origin');
globalThis.__benchOrigin = 1;
createHook({
  init(_asyncId, _type, _triggerAsyncId, resource) {
    const origin = executionAsyncResource()?.[kOrigin] ?? globalThis.__benchOrigin;
    resource[kOrigin] = origin;
  },
}).enable();
