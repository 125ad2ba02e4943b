// The owner's followable tags: the feature and each tag on or off, followers and approvals.
import { Hono, type Context } from "hono";
import { getAccount } from "../data/account.ts";
import { getRemoteActors } from "../data/remote-actors.ts";
import { listTagActors, listTagFollowers } from "../data/tag-actors.ts";
import { createTagFollowerFederation } from "../federation/follows.ts";
import { approveTagFollower, assignTagActors, rejectTagFollower, setTagActorsOn, setTagOn } from "../services/tag-actors.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { tagsAdminPage } from "./views/tags-admin.ts";

export function adminTagRoutes(deps: WebDeps): Hono<WebEnv> {
  const { db, config } = deps;
  const routes = new Hono<WebEnv>();
  const federation = createTagFollowerFederation(deps.federation, { db, config });
  const field = async (c: Context<WebEnv>, name: string) => {
    const value = (await c.req.parseBody())[name];
    return typeof value === "string" ? value : "";
  };

  routes.get("/tags", async (c) => {
    const account = await getAccount(db);
    if (account === undefined) return c.redirect("/admin", 303);
    await assignTagActors(db);
    const tags = await Promise.all((await listTagActors(db)).map(async (row) => ({ row, followers: await listTagFollowers(db, row.handle, null) })));
    const actors = await getRemoteActors(db, tags.flatMap((tag) => tag.followers.map((follower) => follower.actor_id)));
    return c.html(tagsAdminPage({ csrf: c.get("csrf"), locale: c.get("locale"), host: new URL(config.origin).host, on: account.tag_actors, tags, actors }));
  });

  routes.post("/tags/feature", async (c) => {
    await setTagActorsOn(db, (await field(c, "on")) === "on");
    return c.redirect("/admin/tags", 303);
  });

  routes.post("/tags/:handle/toggle", async (c) => {
    if (!(await setTagOn(db, c.req.param("handle"), (await field(c, "on")) === "on"))) return c.text(adminMessages(c.get("locale")).noSuchTag, 404);
    return c.redirect("/admin/tags", 303);
  });

  routes.post("/tags/followers/:action{approve|reject}", async (c) => {
    const body = await c.req.parseBody();
    const handle = typeof body.handle === "string" ? body.handle : "";
    const actor = typeof body.actor === "string" ? body.actor : "";
    const decide = c.req.param("action") === "approve" ? approveTagFollower : rejectTagFollower;
    if (!(await decide(db, federation, handle, actor))) return c.text(adminMessages(c.get("locale")).noSuchTagFollower, 404);
    return c.redirect("/admin/tags", 303);
  });

  return routes;
}
