// Each post's deliveries, for the owner, with a retry for the servers that did not take it.
import { Hono } from "hono";
import { listPostDeliveries } from "../data/deliveries.ts";
import { getPost } from "../data/posts.ts";
import { redeliverPost, type RedeliveryError } from "../services/deliveries.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { deliveriesPage } from "./views/deliveries.ts";

const RETRY_ERRORS: Record<RedeliveryError, { status: 400 | 404 | 409; message: string }> = {
  "not-found": { status: 404, message: "This post does not exist any more." },
  "not-federated": { status: 409, message: "This post is not sent to other servers any more." },
  "unknown-inbox": { status: 400, message: "This post was never sent to that inbox." },
  "not-failed": { status: 409, message: "That server has the post, or is still being tried." },
  "no-recipient": { status: 409, message: "Nobody behind that inbox follows you any more." },
};

export function adminDeliveryRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/posts/:id/deliveries", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined) return c.notFound();
    const notice = c.req.query("retried") ? "Sent again: the server's answer will show here." : undefined;
    return c.html(deliveriesPage({ csrf: c.get("csrf"), locale: c.get("locale"), post, deliveries: await listPostDeliveries(deps.db, post.id), notice }));
  });

  routes.post("/posts/:id/deliveries/retry", async (c) => {
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const result = await redeliverPost(deps.publishing, id, String(form.inbox ?? ""));
    if (result.ok) return c.redirect(`/admin/posts/${encodeURIComponent(id)}/deliveries?retried=1`, 303);
    const { status, message } = RETRY_ERRORS[result.error];
    const post = await getPost(deps.db, id);
    if (post === undefined) return c.text(message, status);
    return c.html(deliveriesPage({ csrf: c.get("csrf"), locale: c.get("locale"), post, deliveries: await listPostDeliveries(deps.db, post.id), error: message }), status);
  });

  return routes;
}
