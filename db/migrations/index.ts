// Every migration, in the order they run. Frozen once landed: a change is a new file.
import type { Migration } from "kysely/migration";
import * as foundation from "./2026-11-28-01-foundation.ts";
import * as posts from "./2026-11-28-02-posts.ts";
import * as media from "./2026-11-28-03-media.ts";
import * as search from "./2026-11-28-04-search.ts";
import * as conversations from "./2026-11-28-05-conversations.ts";
import * as interfaceLanguage from "./2026-11-28-06-interface-language.ts";
import * as mentions from "./2026-11-30-07-mentions.ts";
import * as queueOrder from "./2026-11-30-09-queue-order.ts";
import * as knownDevices from "./2026-11-30-12-known-devices.ts";
import * as followerGone from "./2026-11-30-13-follower-gone.ts";
import * as remoteInteractions from "./2026-11-30-14-remote-interactions.ts";
import * as moving from "./2026-11-30-15-moving.ts";
import * as deliveries from "./2026-11-30-16-deliveries.ts";
import * as readCache from "./2026-11-30-18-read-cache.ts";
import * as deliverySpeed from "./2026-11-30-19-delivery-speed.ts";
import * as tagActors from "./2026-11-30-20-tag-actors.ts";
import * as linkHealth from "./2026-11-30-21-link-health.ts";
import * as movedFollowers from "./2026-11-30-24-moved-followers.ts";
import * as moveInWindow from "./2026-11-30-28-move-in-window.ts";
import * as tagSpellings from "./2026-11-30-31-tag-spellings.ts";
import * as searchTagIndex from "./2026-11-30-33-search-tag-index.ts";
import * as queueParts from "./2026-12-01-34-queue-parts.ts";
import * as importProblems from "./2026-12-01-35-import-problems.ts";
import * as imageSizes from "./2026-11-30-26-image-sizes.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-28-01-foundation": foundation,
  "2026-11-28-02-posts": posts,
  "2026-11-28-03-media": media,
  "2026-11-28-04-search": search,
  "2026-11-28-05-conversations": conversations,
  "2026-11-28-06-interface-language": interfaceLanguage,
  "2026-11-30-07-mentions": mentions,
  "2026-11-30-09-queue-order": queueOrder,
  "2026-11-30-12-known-devices": knownDevices,
  "2026-11-30-13-follower-gone": followerGone,
  "2026-11-30-14-remote-interactions": remoteInteractions,
  "2026-11-30-15-moving": moving,
  "2026-11-30-16-deliveries": deliveries,
  "2026-11-30-18-read-cache": readCache,
  "2026-11-30-19-delivery-speed": deliverySpeed,
  "2026-11-30-20-tag-actors": tagActors,
  "2026-11-30-21-link-health": linkHealth,
  "2026-11-30-24-moved-followers": movedFollowers,
  "2026-11-30-26-image-sizes": imageSizes,
  "2026-11-30-28-move-in-window": moveInWindow,
  "2026-11-30-31-tag-spellings": tagSpellings,
  "2026-11-30-33-search-tag-index": searchTagIndex,
  "2026-12-01-34-queue-parts": queueParts,
  "2026-12-01-35-import-problems": importProblems,
};
