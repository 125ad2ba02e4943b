// Builds Glose's Fedify federation: identity, collections, inbox, NodeInfo, on Glose's own
// key–value store and message queue.
import { createFederation as createFedifyFederation, type Federation, type KvStore, type MessageQueue } from "@fedify/fedify";
import { getUserAgent } from "@fedify/vocab-runtime";
import type { Config } from "../config.ts";
import { registerActor } from "./actor.ts";
import { withDeliveryUserAgent } from "./delivery-user-agent.ts";
import { registerCollections } from "./collections.ts";
import { registerDeliveryFailures } from "./delivery-failures.ts";
import type { GloseContext } from "./context.ts";
import { registerInbox } from "./inbox.ts";
import { registerInteractions } from "./interactions.ts";
import { registerNote } from "./note.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerOutbox } from "./outbox.ts";
import { registerQuotes } from "./quotes.ts";
import { registerTagAnnounces } from "./tag-announces.ts";
import { VERSION } from "../version.ts";

export interface FederationDeps {
  readonly config: Config;
  readonly kv: KvStore;
  readonly queue: MessageQueue;
}

export function createFederation(deps: FederationDeps): Federation<GloseContext> {
  const userAgent = { software: `Glose/${VERSION}`, url: new URL(deps.config.origin) };
  const federation = createFedifyFederation<GloseContext>({
    kv: deps.kv,
    queue: withDeliveryUserAgent(deps.queue, getUserAgent(userAgent)),
    // Web processes only enqueue; workers (ROLE=worker or all) start the queue themselves.
    manuallyStartQueue: true,
    // Every id is built from ORIGIN, never from the Host a proxy passes on.
    origin: deps.config.origin,
    allowPrivateAddress: deps.config.allowPrivateAddress,
    userAgent,
  });
  registerActor(federation);
  registerCollections(federation);
  registerNote(federation);
  registerOutbox(federation);
  registerInteractions(federation);
  registerQuotes(federation);
  registerTagAnnounces(federation);
  registerInbox(federation);
  registerNodeInfo(federation);
  registerDeliveryFailures(federation);
  return federation;
}

export type { GloseContext };
