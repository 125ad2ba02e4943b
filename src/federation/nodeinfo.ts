import type { Federation } from "@fedify/fedify";
import { getAccount } from "../data/account.ts";
import type { GloseContext } from "./context.ts";
import { countLocalPosts } from "../data/stats.ts";
import { VERSION } from "../version.ts";

export function registerNodeInfo(federation: Federation<GloseContext>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const account = await getAccount(ctx.data.db);
    const posts = await countLocalPosts(ctx.data.db);
    const users = account === undefined ? 0 : 1;
    return {
      software: {
        name: "glose",
        version: VERSION,
        homepage: new URL("/", ctx.canonicalOrigin),
      },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: ["atom1.0", "rss2.0"] },
      openRegistrations: false,
      usage: {
        users: {
          total: users,
          activeHalfyear: posts.lastHalfYear > 0 ? users : 0,
          activeMonth: posts.lastMonth > 0 ? users : 0,
        },
        localPosts: posts.total,
        localComments: 0,
      },
      metadata: {
        nodeName: account?.display_name || account?.username || "Glose",
        nodeDescription: "A link blog on the fediverse",
        // Each tag is an actor of its own (@tag@host) that can be followed.
        followableTags: account?.tag_actors ?? false,
      },
    };
  });
}
