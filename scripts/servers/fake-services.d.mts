/** Types of fake-services.mjs, for the TypeScript tests. */
export interface FakeServices {
  url: string;
  requests: { method: string; path: string; target: string; body: string }[];
  close(): Promise<void>;
}

export function startFakeServices(options?: { keepAliveTimeoutMs?: number }): Promise<FakeServices>;
