// The start-up workload: a clean handler that does nothing.
export const handler = async () => ({ maxRssKB: process.resourceUsage().maxRSS });
