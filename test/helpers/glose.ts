// Glose started in this process on a real loopback port, over a fresh test database.
import { parseConfig, type Config } from "../../src/config.ts";
import { startGlose, type Glose } from "../../src/server.ts";
import { createTestDatabaseEnv, type BackendName } from "./database.ts";
import { freePort, OWNER, OWNER_PASSWORD } from "./processes.ts";

export { OWNER, OWNER_PASSWORD };

export interface TestGlose extends Glose {
  readonly config: Config;
  readonly origin: string;
  /** Stops Glose and drops its database. */
  destroy(): Promise<void>;
}


export async function startTestGlose(backend: BackendName, env: Record<string, string> = {}): Promise<TestGlose> {
  return await startOnLoopback(backend, { ACCOUNT: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, ...env });
}

/** Glose with no account yet: the first visit to /admin sets it up. */
export async function startFreshGlose(backend: BackendName): Promise<TestGlose> {
  return await startOnLoopback(backend, {});
}

async function startOnLoopback(backend: BackendName, env: Record<string, string>): Promise<TestGlose> {
  const database = await createTestDatabaseEnv(backend);
  const port = await freePort();
  const config = parseConfig({
    PORT: String(port),
    ORIGIN: `http://127.0.0.1:${port}`,
    // Glose guards this whole process's outgoing requests: the tests' own go to loopback.
    ALLOW_PRIVATE_ADDRESS: "true",
    // Deletes leave at once unless a test gives an undo window.
    DELETE_UNDO_SECONDS: "0",
    ...database.env,
    ...env,
  });
  const glose = await startGlose(config);
  return {
    ...glose,
    config,
    origin: config.origin,
    async destroy() {
      await glose.stop();
      await database.drop();
    },
  };
}

export const ACTIVITY_JSON = "application/activity+json";
