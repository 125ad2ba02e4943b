// Two real processes on loopback, as the federation tests use them: Glose (its owner logged in
// through the admin) and the Mastodon-like test peer, each stopped and its database dropped after.
import { AdminClient } from "./admin-client.ts";
import { createTestDatabaseEnv, type BackendName } from "./database.ts";
import { OWNER, OWNER_PASSWORD } from "./glose.ts";
import { peerControl } from "./peer-control.ts";
import { ownerEnv, startGloseProcess, startPeer, waitFor, type RunningProcess } from "./processes.ts";

export interface GloseWithPeer {
  readonly glose: RunningProcess;
  readonly peer: Awaited<ReturnType<typeof startPeer>>;
  readonly admin: AdminClient;
  readonly origin: string;
  /** The owner's actor id. */
  readonly owner: string;
  stop(): Promise<void>;
}

export interface GloseWithPeerOptions {
  /** More settings for Glose. */
  readonly env?: Record<string, string>;
  /** The peer's loopback address (one of its own lets a test block its server as a domain). */
  readonly peerHost?: string;
  /** The peer's alice follows the owner first, and the Accept has arrived. */
  readonly followed?: boolean;
}

export async function startGloseWithPeer(backend: BackendName, options: GloseWithPeerOptions = {}): Promise<GloseWithPeer> {
  const database = await createTestDatabaseEnv(backend);
  const peer = await startPeer(options.peerHost);
  const env = { ...(await ownerEnv(database.env)), ...options.env };
  const origin = env.ORIGIN!;
  const glose = await startGloseProcess(env);
  const stop = async () => {
    await glose.stop();
    await peer.stop();
    await database.drop();
  };
  const admin = new AdminClient(origin);
  const owner = `${origin}/users/${OWNER}`;
  try {
    await admin.logIn(OWNER_PASSWORD);
    if (options.followed) {
      const control = peerControl(peer.origin);
      await control.control("follow", { target: owner });
      await waitFor("the Accept", async () => (await control.received()).find((a) => a.type === "Accept"));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { glose, peer, admin, origin, owner, stop };
}
