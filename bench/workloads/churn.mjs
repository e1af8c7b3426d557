// The memory workload: 1,000,000 short-lived timers and promises, created and completed in
// batches. Memory should follow what is alive (a batch), not how many were ever created.
export const handler = async () => {
  for (let batch = 0; batch < 1_000; batch++) {
    await Promise.all(Array.from({ length: 1_000 }, () => new Promise((resolve) => setTimeout(resolve, 0))));
  }
  return { maxRssKB: process.resourceUsage().maxRSS };
};
