// When a server says for good that an inbox is gone (410 or 404), or Fedify's circuit breaker has
// held deliveries to a dead server past its retention (a week), the followers behind that inbox
// are removed: later posts are not sent into the void for ever.
import type { Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { removeUnreachableFollowers } from "../services/followers.ts";
import type { GloseContext } from "./context.ts";
import { deliveryAbandoned } from "./delivery-tracking.ts";

const logger = getLogger(["glose", "delivery"]);

export function registerDeliveryFailures(federation: Federation<GloseContext>): void {
  federation.setOutboxPermanentFailureHandler(async (ctx, { reason, inbox, statusCode, actorIds }) => {
    deliveryAbandoned(reason);
    const removed = await removeUnreachableFollowers(
      ctx.data.db,
      actorIds.map((id) => id.href),
      reason === "http" ? `${inbox.href} answered ${statusCode}` : `${inbox.host} unreachable for days`,
    );
    logger.warn("Gave up delivering to {inbox} ({reason} {statusCode}); removed {count} follower(s)", {
      inbox: inbox.href,
      reason,
      statusCode,
      count: removed,
    });
  });
}
