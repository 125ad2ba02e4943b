// Incoming activities: the key they are signed with is fetched once, before Fedify verifies
// them, however many arrive together (see federation/shared-fetches.ts).
import type { Federation, KvStore } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";
import { inboxKeyIdentity } from "../federation/inbox.ts";
import { fetchSigningKeyOnce, signingKeyId } from "../federation/shared-fetches.ts";

export function signingKeysFetchedOnce(federation: Federation<GloseContext>, contextData: GloseContext, kv: KvStore): MiddlewareHandler {
  return async (c, next) => {
    const keyId = c.req.method === "POST" ? signingKeyId(c.req.raw.headers) : null;
    if (keyId !== null) {
      // Fedify's own loader for the inbox (signed, with its User-Agent and its private-address guard).
      const loaders = async () => {
        const ctx = federation.createContext(c.req.raw, contextData);
        const identity = await inboxKeyIdentity(contextData);
        return { documentLoader: identity === null ? ctx.documentLoader : await ctx.getDocumentLoader(identity), contextLoader: ctx.contextLoader };
      };
      await fetchSigningKeyOnce(keyId, loaders, kv);
    }
    await next();
  };
}
