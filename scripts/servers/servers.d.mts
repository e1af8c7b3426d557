/** Types of servers.mjs, for the TypeScript tests that start the servers. */
export interface StartedServer {
  name: 'postgres' | 'redis' | 'mysql';
  pid: number;
  dataDir: string;
  url: string;
  stopSignal: NodeJS.Signals;
}

export interface Servers {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, when asked for. */
  postgres?: string;
  /** `redis://127.0.0.1:PORT`, when asked for. */
  redis?: string;
  /** `mysql://root@127.0.0.1:PORT` (MariaDB), when asked for. */
  mysql?: string;
  /** The servers this call started (none for URLs taken from the environment). */
  servers: StartedServer[];
  stop(): Promise<void>;
}

export function ensurePackages(log?: (line: string) => void, servers?: Array<'postgres' | 'redis' | 'mysql'>): void;
export function stopServer(server: StartedServer): Promise<void>;
export function startServers(options?: { postgres?: boolean; redis?: boolean; mysql?: boolean; outliveCaller?: boolean }): Promise<Servers>;
