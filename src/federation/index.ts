// Builds Glose's Fedify federation: identity, collections, inbox, NodeInfo, on Glose's own
// key–value store and message queue.
import {
  createExponentialBackoffPolicy,
  createFederation as createFedifyFederation,
  type Context,
  type Federation,
  type FederationQueueOptions,
  type KvStore,
  type MessageQueue,
} from "@fedify/fedify";
import { Create, Note } from "@fedify/vocab";
import { getUserAgent } from "@fedify/vocab-runtime";
import type { Config } from "../config.ts";
import { registerActor } from "./actor.ts";
import { withDeliveryUserAgent } from "./delivery-user-agent.ts";
import { registerCollections } from "./collections.ts";
import { DeliveryCounts } from "./delivery-counts.ts";
import { registerDeliveryFailures } from "./delivery-failures.ts";
import { deliveryFailed, trackDeliveries } from "./delivery-tracking.ts";
import type { Db } from "../data/client.ts";
import { parseNoteId } from "./note-id.ts";
import type { GloseContext } from "./context.ts";
import { registerInbox } from "./inbox.ts";
import { registerInteractions } from "./interactions.ts";
import { registerNote } from "./note.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerOutbox } from "./outbox.ts";
import { registerQuotes } from "./quotes.ts";
import { PUBLIC_KEY_PREFIX } from "./shared-fetches.ts";
import { registerTagAnnounces } from "./tag-announces.ts";
import { VERSION } from "../version.ts";

export interface FederationDeps {
  readonly config: Config;
  readonly kv: KvStore;
  /** One queue for all work, or one for each kind, each with its own workers. */
  readonly queue: MessageQueue | Required<FederationQueueOptions>;
  /** Counts this process's deliveries, for /metrics. */
  readonly deliveries?: DeliveryCounts;
  /** Where deliveries of posts are recorded for the admin; without it, they are not. */
  readonly db?: Db;
}

export function createFederation(deps: FederationDeps): Federation<GloseContext> {
  const userAgent = { software: `Glose/${VERSION}`, url: new URL(deps.config.origin) };
  const stamped = (queue: MessageQueue) => withDeliveryUserAgent(queue, getUserAgent(userAgent));
  const db = deps.db;
  // Both the fan-out and the outbox queue: a fan-out's deliveries are recorded once it has run.
  const tracked = (queue: MessageQueue) => (db === undefined ? queue : trackDeliveries(queue, db, postOf));
  const postOf = postsOfActivities(() => federation, new URL(deps.config.origin));
  const deliveries = deps.deliveries ?? new DeliveryCounts();
  const { inbox, outbox, fanout } = "listen" in deps.queue ? { inbox: deps.queue, outbox: deps.queue, fanout: deps.queue } : deps.queue;
  const federation: Federation<GloseContext> = createFedifyFederation<GloseContext>({
    kv: deps.kv,
    // Shared with the inbox's first fetch of a signing key (shared-fetches.ts).
    kvPrefixes: { publicKey: PUBLIC_KEY_PREFIX },
    // One queue given: the same object for every kind, so Fedify listens to it once.
    queue:
      inbox === outbox && outbox === fanout
        ? deliveries.counting(stamped(tracked(inbox)))
        : { inbox, fanout: stamped(tracked(fanout)), outbox: deliveries.counting(stamped(tracked(outbox))) },
    outboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts: deps.config.deliveryRetries }),
    onOutboxError: (error) => {
      deliveries.failed();
      deliveryFailed(error);
    },
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

/**
 * The post whose Create, Update or Delete has this id (a Note id of ORIGIN with a fragment), if
 * any. Asked twice for each delivery of a fan-out's one activity: the answers are kept, and one
 * context parses them all (parsing ids needs no context data).
 */
function postsOfActivities(federation: () => Federation<GloseContext>, origin: URL): (id: URL) => string | null {
  let context: Context<GloseContext> | undefined;
  const known = new Map<string, string | null>();
  return (id) => {
    const cached = known.get(id.href);
    if (cached !== undefined) return cached;
    context ??= federation().createContext(origin, undefined as never);
    const parsed = context.parseUri(id);
    const post = parsed?.type !== "object" || (parsed.class !== Note && parsed.class !== Create) ? null : parseNoteId(parsed.values.id ?? "").postId || null;
    if (known.size >= 1000) known.clear();
    known.set(id.href, post);
    return post;
  };
}

export type { GloseContext };
