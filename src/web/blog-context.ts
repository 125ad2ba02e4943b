// What every public page needs to know about the blog and the reader.
import type { Context } from "hono";
import { getAccount } from "../data/account.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { messages, pickLocale } from "./i18n.ts";
import type { BlogContext } from "./views/blog.ts";

export async function blogContext(deps: WebDeps, c: Context<WebEnv>): Promise<BlogContext | null> {
  const account = await getAccount(deps.db);
  if (account === undefined) return null;
  const locale = pickLocale(account.interface_language, c.req.header("accept-language"));
  return {
    t: messages(locale),
    locale,
    account,
    origin: deps.config.origin,
    owner: c.get("owner"),
    handle: `@${account.username}@${new URL(deps.config.origin).host}`,
    actor: deps.federation.createContext(new URL(deps.config.origin), { db: deps.db, config: deps.config }).getActorUri(account.username).href,
  };
}
