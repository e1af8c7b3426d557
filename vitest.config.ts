import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests spawn the CLI, which spawns handlers that time out on purpose.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
