// Not found, gone and server errors as pages of the blog, in its layout and language, with a way
// home. Only for readers: JSON (Fedify's documents, the API) keeps its own short answers.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { html } from "hono/html";
import { getLogger } from "@logtape/logtape";
import { blogContext } from "./blog-context.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { messages, pickLocale } from "./i18n.ts";
import { blogPage, type BlogContext } from "./views/blog.ts";
import { page } from "./views/layout.ts";

const logger = getLogger(["glose", "web"]);

type ErrorStatus = 404 | 410 | 500;

/** Whether the request is a reader's, who gets a page, rather than a program's. */
function wantsPage(c: Context<WebEnv>): boolean {
  const accept = c.req.header("accept") ?? "";
  return (c.req.method === "GET" || c.req.method === "HEAD") && !/json/i.test(accept) && !c.req.path.startsWith("/api/");
}

/** The page for `status`, in the blog's layout; `blog` is null when there is no account yet. */
export function errorPage(c: Context<WebEnv>, blog: BlogContext | null, status: ErrorStatus, text?: string): Response | Promise<Response> {
  const t = blog?.t ?? messages(pickLocale(null, c.req.header("accept-language")));
  const title = { 404: t.notFoundTitle, 410: t.goneTitle, 500: t.errorTitle }[status];
  const main = html`<div class="error-page"><p class="status-code" aria-hidden="true">${status}</p><h1>${title}</h1>
<p>${text ?? { 404: t.notFoundText, 410: t.deleted, 500: t.errorText }[status]}</p>
<p><a class="button" href="/">${t.backHome}</a></p></div>`;
  if (blog !== null) return c.html(blogPage(blog, { title, main }), status);
  return c.html(page({ title, lang: pickLocale(null, c.req.header("accept-language")), body: html`<main id="main">${main}</main>` }), status);
}

export function notFoundPage(deps: WebDeps): NotFoundHandler<WebEnv> {
  return async (c) => {
    if (!wantsPage(c)) return c.text("404 Not Found", 404);
    return await errorPage(c, await blogContext(deps, c), 404);
  };
}

export function serverErrorPage(deps: WebDeps): ErrorHandler<WebEnv> {
  return async (error, c) => {
    logger.error("Request {method} {path} failed: {error}", { method: c.req.method, path: c.req.path, error });
    if (!wantsPage(c)) return c.text("Something went wrong on this server.", 500);
    // The error may be the database's: the page is then made without the blog's details.
    const blog = await blogContext(deps, c).catch(() => null);
    return await errorPage(c, blog, 500);
  };
}
