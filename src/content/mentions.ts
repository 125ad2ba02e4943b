/**
 * Fediverse mentions and inline hashtags as Mastodon writes them, so that every server shows
 * them as its own: the patterns that find them in text and the HTML they become. Pure.
 */
import { escapeHtml } from "./html.ts";
import { hashtagName } from "./tags.ts";

/** A handle resolved through WebFinger when the post was saved. */
export interface ResolvedMention {
  /** `@user@server`, as the actor's server spells it. */
  readonly handle: string;
  readonly actorId: string;
  /** The profile page the mention links to (the actor id when it has no `url`). */
  readonly profileUrl: string;
  readonly inbox: string | null;
  readonly sharedInbox: string | null;
}

// Mastodon's Account::MENTION_RE (app/models/account.rb), full handles only: the lookbehind
// (no word character, `=` or `/` before the `@`) is checked by the caller against the text before.
const MENTION = /^@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@([\p{L}\p{M}\p{Nd}\p{Pc}.-]+[\p{L}\p{M}\p{Nd}\p{Pc}]+)/iu;
// Mastodon's Tag::HASHTAG_RE: the name's characters; hashtagName() then keeps only valid names.
const HASHTAG = /^#([\p{L}\p{M}\p{Nd}\p{Pc}\u00B7\u30FB\u200C]+)/u;
const MENTION_BEFORE = /[\p{L}\p{M}\p{Nd}\p{Pc}=/]$/u;
const HASHTAG_BEFORE = /[\p{L}\p{M}\p{Nd}=/)]$/u;
const MENTION_START = /(?<![\p{L}\p{M}\p{Nd}\p{Pc}=/])@/u;
const HASHTAG_START = /(?<![\p{L}\p{M}\p{Nd}=/)])#/u;

/**
 * Where in `text` a mention or a hashtag may start, or -1. Markdown ends plain text there, so a
 * position that cannot start one must not be offered: `user@example.com` stays an e-mail link.
 */
export function mentionStart(text: string): number {
  return text.search(MENTION_START);
}

export function hashtagStart(text: string): number {
  return text.search(HASHTAG_START);
}

/** `@user@server` at the start of `text`, unless `before` (the text just before) forbids it. */
export function matchMention(text: string, before: string): { raw: string; handle: string; username: string } | null {
  if (MENTION_BEFORE.test(before)) return null;
  const match = MENTION.exec(text);
  if (match === null) return null;
  return { raw: match[0], handle: `@${match[1]}@${match[2]}`, username: match[1]! };
}

/** `#name` at the start of `text`, with a name Mastodon accepts (not digits alone), or null. */
export function matchHashtag(text: string, before: string): { raw: string; name: string } | null {
  if (HASHTAG_BEFORE.test(before)) return null;
  const match = HASHTAG.exec(text);
  if (match === null) return null;
  // Separators may not end a name: `#mot·` is `#mot` followed by a middle dot.
  const name = match[1]!.replace(/[\u00B7\u30FB\u200C]+$/u, "");
  if (hashtagName(name) === null) return null;
  return { raw: `#${name}`, name };
}

/** The key a handle is known by: user and server are case-insensitive. */
export function handleKey(handle: string): string {
  return handle.toLowerCase();
}

/** Mastodon's mention markup: only the username shows, the link goes to the profile. */
export function mentionHtml(mention: ResolvedMention): string {
  const username = mention.handle.split("@")[1] ?? mention.handle;
  return (
    `<span class="h-card" translate="no"><a href="${escapeHtml(mention.profileUrl)}" class="u-url mention">` +
    `@<span>${escapeHtml(username)}</span></a></span>`
  );
}

/** Mastodon's hashtag markup; `rel="tag"` keeps it out of the link card. */
export function hashtagHtml(name: string, href: string): string {
  return `<a href="${escapeHtml(href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(name)}</span></a>`;
}
