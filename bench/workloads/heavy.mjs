// The overhead workload: 200,000 awaited promises, 20,000 setTimeout(0) and 2,000
// fs.promises.readFile calls, as an async handler. Timers and reads run in batches, so the
// run is bound by CPU (what instrumentation costs), not by the 1 ms timer granularity.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

export const handler = async () => {
  for (let i = 0; i < 200_000; i++) await Promise.resolve(i);
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(Array.from({ length: 1_000 }, () => new Promise((resolve) => setTimeout(resolve, 0))));
  }
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(Array.from({ length: 100 }, () => readFile(self)));
  }
  return { maxRssKB: process.resourceUsage().maxRSS };
};
