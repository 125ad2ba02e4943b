// A post as the blog shows it: link title, domain, commentary, tags, date.
import { html, raw } from "hono/html";
import type { PostRow } from "../../data/posts.ts";
import { deleteForm } from "./editor.ts";
import type { Html } from "./layout.ts";

const VISIBILITY_MARKS: Record<PostRow["visibility"], string> = {
  public: "",
  unlisted: "Unlisted",
  followers: "Followers only",
  private: "Private",
};

export function postArticle(post: PostRow, options: { owner: boolean; csrf?: string; permalink?: boolean }): Html {
  const domain = post.url === null ? null : new URL(post.url).host.replace(/^www\./, "");
  const mark = VISIBILITY_MARKS[post.visibility];
  const heading = options.permalink ? "h1" : "h2";
  const title =
    post.url === null
      ? html`<a href="/p/${post.id}">${post.title}</a>`
      : html`<a href="${post.url}" rel="nofollow noopener noreferrer">${post.title}</a> <span class="domain">${domain}</span>`;
  return html`<article class="post h-entry${post.visibility === "public" ? "" : ` ${post.visibility}`}" lang="${post.language}">
${raw(`<${heading} class="post-title p-name">`)}${title}${raw(`</${heading}>`)}
${mark ? html`<p class="visibility-mark">${mark}</p>` : ""}
${post.comment_html ? html`<div class="commentary e-content">${raw(post.comment_html)}</div>` : ""}
<footer class="post-meta">
<a class="u-url" href="/p/${post.id}"><time class="dt-published" datetime="${post.published_at.toISOString()}">${formatDate(post.published_at, post.language)}</time></a>
${post.tags.length > 0 ? html`<ul class="tags">${post.tags.map((tag) => html`<li><a class="p-category" rel="tag" href="/tags/${encodeURIComponent(tag)}">#${tag}</a></li>`)}</ul>` : ""}
${options.owner ? html`<a class="edit" href="/admin/posts/${post.id}/edit">Edit</a>` : ""}
</footer>
${options.owner && options.permalink && options.csrf ? deleteForm(options.csrf, post.id) : ""}
</article>`;
}

export function formatDate(date: Date, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long" }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}
