/** The owner's Markdown commentary → HTML for the blog page and for Mastodon. Pure. */
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { BASE_POLICY, decodeEntities, escapeHtml, linkTransform, tidy } from "./html.ts";
import {
  handleKey,
  hashtagHtml,
  hashtagStart,
  matchHashtag,
  matchMention,
  mentionHtml,
  mentionStart,
  type ResolvedMention,
} from "./mentions.ts";
import { hashtagName, normalizeTags, tagKey } from "./tags.ts";
import { absoluteHref, WEB, WEB_AND_MAIL } from "./urls.ts";

/** What a commentary's mentions and hashtags become; without it they stay text. */
export interface RenderContext {
  /** The absolute URL of a tag's page. */
  readonly tagHref?: (tag: string) => string;
  /** The handles resolved for this text, by handleKey(); the others stay text. */
  readonly mentions?: ReadonlyMap<string, ResolvedMention>;
}

const externalLink = linkTransform(WEB_AND_MAIL, "nofollow noopener noreferrer");

/** Only our renderer makes tags (typed HTML is text), but sanitize anyway: defence in depth. */
const MARKDOWN_POLICY: sanitizeHtml.IOptions = {
  ...BASE_POLICY,
  allowedAttributes: { a: ["href", "rel", { name: "translate", values: ["no"] }], span: [{ name: "translate", values: ["no"] }], ol: ["start"] },
  allowedClasses: { a: ["u-url", "mention", "hashtag"], span: ["h-card", "invisible", "ellipsis"] },
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: {
    // Mentions and hashtags keep Mastodon's markup (no forced rel), as long as the link is http(s).
    a: (tagName, attribs) => {
      const href = absoluteHref(attribs.href ?? "", WEB);
      const isMention = /(?:^|\s)mention(?:\s|$)/.test(attribs.class ?? "");
      return isMention && href !== null ? { tagName, attribs: { ...attribs, href } } : externalLink(tagName, attribs);
    },
  },
};

/** The part of a bare URL that Mastodon hides, and how much of the rest it shows. */
const SHORTENED_PREFIX = /^(?:https?:\/\/(?:www\.)?|www\.)/iu;
const SHORTENED_LENGTH = 30;

/**
 * A bare URL as Mastodon displays it: scheme and `www.` hidden, the rest cut after 30 characters
 * with an ellipsis, the whole still there for copying. Mastodon keeps these classes, so its
 * readers see the same.
 */
function shortenedUrl(url: string): string {
  const prefix = SHORTENED_PREFIX.exec(url)?.[0] ?? "";
  const rest = url.slice(prefix.length);
  const hidden = (text: string) => `<span class="invisible">${escapeHtml(text)}</span>`;
  if (rest.length <= SHORTENED_LENGTH) return hidden(prefix) + escapeHtml(rest);
  return `${hidden(prefix)}<span class="ellipsis">${escapeHtml(rest.slice(0, SHORTENED_LENGTH))}</span>${hidden(rest.slice(SHORTENED_LENGTH))}`;
}

/** The text just before the current position, for the mention and hashtag lookbehinds. */
function textBefore(tokens: readonly Tokens.Generic[]): string {
  const last = tokens.at(-1);
  return last?.type === "text" ? last.raw : "";
}

let context: RenderContext = {};

/**
 * CommonMark + GFM (autolinks, strikethrough, task lists), single newlines kept as `<br>` like
 * Shaarli's Markdown formatter. Typed HTML is not parsed: it stays text and gets escaped.
 * Tables are not parsed either (Mastodon drops them): the pipes stay as typed.
 */
const markdown = new Marked({ gfm: true, breaks: true });
markdown.use({
  extensions: [
    {
      name: "mention",
      level: "inline",
      start: mentionStart,
      tokenizer(src: string, tokens: Tokens.Generic[]) {
        if (this.lexer.state.inLink) return undefined;
        const match = matchMention(src, textBefore(tokens));
        return match === null ? undefined : { type: "mention", raw: match.raw, handle: match.handle };
      },
      renderer(token: Tokens.Generic) {
        const resolved = context.mentions?.get(handleKey(token.handle));
        return resolved === undefined ? escapeHtml(token.raw) : mentionHtml(resolved);
      },
    },
    {
      name: "hashtag",
      level: "inline",
      start: hashtagStart,
      tokenizer(src: string, tokens: Tokens.Generic[]) {
        if (this.lexer.state.inLink) return undefined;
        const match = matchHashtag(src, textBefore(tokens));
        return match === null ? undefined : { type: "hashtag", raw: match.raw, name: match.name };
      },
      renderer(token: Tokens.Generic) {
        const [tag] = normalizeTags(token.name);
        const href = tag === undefined ? undefined : context.tagHref?.(tag);
        return href === undefined ? escapeHtml(token.raw) : hashtagHtml(token.name, href);
      },
    },
  ],
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
    table: () => undefined,
  },
  renderer: {
    heading({ tokens }) {
      return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`;
    },
    link({ href, tokens, text: typed, autolink }) {
      const safe = absoluteHref(decodeEntities(href), WEB_AND_MAIL);
      if (autolink && safe !== null && SHORTENED_PREFIX.test(typed)) return `<a href="${escapeHtml(safe)}" translate="no">${shortenedUrl(typed)}</a>`;
      const text = this.parser.parseInline(tokens);
      return safe === null ? text : `<a href="${escapeHtml(safe)}">${text}</a>`;
    },
    image({ href, tokens }) {
      const safe = absoluteHref(decodeEntities(href), WEB);
      const alt = decodeEntities(this.parser.parseInline(tokens, this.parser.textRenderer));
      const label = escapeHtml(alt || (safe ?? ""));
      return safe === null ? label : `<a href="${escapeHtml(safe)}">${label}</a>`;
    },
    checkbox({ checked }) {
      return checked ? "☑ " : "☐ ";
    },
  },
});

/**
 * The owner's Markdown commentary as HTML fit for the blog page and for Mastodon: `#tags` link to
 * the tag pages and resolved `@user@server` handles become mentions when `render` says how.
 */
export function renderMarkdown(source: string, render: RenderContext = {}): string {
  let html: string;
  context = render;
  try {
    html = markdown.parse(source, { async: false });
  } finally {
    context = {};
  }
  // Only tags are left unescaped in the sanitized output, so `>\n<` lies between two tags.
  return tidy(sanitizeHtml(html, MARKDOWN_POLICY).replace(/>\n+</g, "><"));
}

/**
 * The `@user@server` handles and `#tags` a commentary holds outside code and links, each once,
 * in order: the handles as typed, the hashtags as stored tags (see normalizeTags).
 */
export function commentReferences(source: string): { handles: string[]; hashtags: string[] } {
  // Most commentaries have neither: no need to parse them twice.
  if (!/[@#]/.test(source)) return { handles: [], hashtags: [] };
  const handles = new Map<string, string>();
  const hashtags: string[] = [];
  markdown.walkTokens(markdown.lexer(source), (token) => {
    if (token.type === "mention" && !handles.has(handleKey(token.handle))) handles.set(handleKey(token.handle), token.handle);
    if (token.type === "hashtag") hashtags.push(token.name);
  });
  return { handles: [...handles.values()], hashtags: normalizeTags(hashtags) };
}

/**
 * The commentary with its `#from` hashtags renamed to `#to`, or made plain words when `to` is
 * null or cannot be a hashtag, so that renaming or removing a tag sticks. Unchanged when some
 * `#from` in the text is not a hashtag (in code or a link): those must stay as typed.
 */
export function rewriteHashtags(source: string, from: string, to: string | null): string {
  const spots: { index: number; raw: string }[] = [];
  for (let index = source.indexOf("#"); index !== -1; index = source.indexOf("#", index + 1)) {
    const match = matchHashtag(source.slice(index), source.slice(Math.max(0, index - 1), index));
    if (match !== null && tagKey(match.name) === tagKey(from)) spots.push({ index, raw: match.raw });
  }
  if (spots.length === 0) return source;
  let tokens = 0;
  markdown.walkTokens(markdown.lexer(source), (token) => {
    if (token.type === "hashtag" && tagKey(token.name) === tagKey(from)) tokens++;
  });
  if (tokens !== spots.length) return source;
  let rewritten = source;
  for (const { index, raw } of spots.reverse()) {
    const word = to === null ? raw.slice(1) : hashtagName(to) === to ? `#${to}` : to;
    rewritten = rewritten.slice(0, index) + word + rewritten.slice(index + raw.length);
  }
  return rewritten;
}
