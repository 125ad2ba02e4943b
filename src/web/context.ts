import type { Federation, MessageQueueDepth } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Db } from "../data/client.ts";
import type { GloseContext } from "../federation/context.ts";
import type { ModerationDeps } from "../services/moderation.ts";
import type { ProfileDeps } from "../services/profile.ts";
import type { PublishingDeps } from "../services/publishing.ts";
import type { QuoteDeps } from "../services/quotes.ts";
import type { Locale } from "./i18n.ts";
import type { Metrics } from "./metrics.ts";
import type { ReadCache } from "./read-cache.ts";

/** What the web layer is built from. */
export interface WebDeps {
  readonly config: Config;
  readonly db: Db;
  readonly federation: Federation<GloseContext>;
  /** Where posts are written and sent to followers. */
  readonly publishing: PublishingDeps;
  /** Where the profile is written and sent to followers. */
  readonly profile: ProfileDeps;
  /** Followers' approvals and removals, blocks. */
  readonly moderation: ModerationDeps;
  /** Quote requests approved or refused, quotes revoked. */
  readonly quotes: QuoteDeps;
  /** The queue, for readiness and metrics. */
  readonly queue: { getDepth(): Promise<MessageQueueDepth> };
  readonly metrics: Metrics;
  /** Serialized federation documents and public pages, until what they show changes. */
  readonly readCache: ReadCache;
}

/** Hono's per-request variables. */
export interface WebEnv {
  Variables: {
    /** Whether the request comes from the logged-in owner. */
    owner: boolean;
    /** The double-submit CSRF token forms must carry. */
    csrf: string;
    /** The admin's language (set on /admin pages only). */
    locale: Locale;
  };
}
