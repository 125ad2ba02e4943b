// Each post's deliveries, for the owner, with a retry for the servers that did not take it.
import { Hono } from "hono";
import { listPostDeliveries } from "../data/deliveries.ts";
import { getPost } from "../data/posts.ts";
import { redeliverPost, type RedeliveryError } from "../services/deliveries.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { deliveriesPage } from "./views/deliveries.ts";

const RETRY_STATUS: Record<RedeliveryError, 400 | 404 | 409> = {
  "not-found": 404,
  "not-federated": 409,
  "unknown-inbox": 400,
  "not-failed": 409,
  "no-recipient": 409,
};

export function adminDeliveryRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/posts/:id/deliveries", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined) return c.notFound();
    const notice = c.req.query("retried") ? adminMessages(c.get("locale")).retried : undefined;
    return c.html(deliveriesPage({ csrf: c.get("csrf"), locale: c.get("locale"), post, deliveries: await listPostDeliveries(deps.db, post.id), notice }));
  });

  routes.post("/posts/:id/deliveries/retry", async (c) => {
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const result = await redeliverPost(deps.publishing, id, String(form.inbox ?? ""));
    if (result.ok) return c.redirect(`/admin/posts/${encodeURIComponent(id)}/deliveries?retried=1`, 303);
    const status = RETRY_STATUS[result.error];
    const message = adminMessages(c.get("locale")).retryErrors[result.error];
    const post = await getPost(deps.db, id);
    if (post === undefined) return c.text(message, status);
    return c.html(deliveriesPage({ csrf: c.get("csrf"), locale: c.get("locale"), post, deliveries: await listPostDeliveries(deps.db, post.id), error: message }), status);
  });

  return routes;
}
