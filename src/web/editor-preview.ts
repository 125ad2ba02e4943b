// What the editor's preview shows, built from the form without saving anything: the status a
// Mastodon follower will see (its handles resolved as on saving) and the post as the blog shows it.
import {
  commentReferences,
  handleKey,
  htmlToText,
  normalizeTags,
  normalizeUrl,
  noteContent,
  renderMarkdown,
  tagPageUrl,
} from "../content/index.ts";
import { getAccount } from "../data/account.ts";
import { fetchLinkPreview, type LinkPreviewError } from "../remote/link-preview.ts";
import { resolveMentions } from "../services/publishing.ts";
import type { WebDeps } from "./context.ts";
import type { EditorPreview, MastodonPreview } from "./views/editor-preview.ts";
import type { EditorValues } from "./views/editor.ts";

type Card = MastodonPreview["card"];

// The live preview asks again at every pause in typing: a linked page is fetched once a while.
const CARD_LIFETIME_MS = 10 * 60 * 1000;
const CARD_CACHE_SIZE = 100;
const cards = new Map<string, { card: Card; failure?: LinkPreviewError; at: number }>();

/** The card Mastodon servers will build from the linked page, fetched the way they do. */
export async function fetchCard(deps: WebDeps, link: string): Promise<{ card: Card; failure?: LinkPreviewError }> {
  const url = normalizeUrl(link);
  if (url === null) return { card: null };
  const cached = cards.get(url);
  if (cached !== undefined && Date.now() - cached.at < CARD_LIFETIME_MS) return cached;
  const result = await fetchLinkPreview(url, { allowPrivateAddress: deps.config.allowPrivateAddress });
  const entry = result.ok
    ? { card: result.preview.title ? result.preview : null, at: Date.now() }
    : { card: null, failure: result.error, at: Date.now() };
  cards.delete(url);
  cards.set(url, entry);
  if (cards.size > CARD_CACHE_SIZE) cards.delete(cards.keys().next().value!);
  return entry;
}

export async function buildPreview(deps: WebDeps, values: EditorValues, card: Card): Promise<EditorPreview> {
  const account = await getAccount(deps.db);
  const host = new URL(deps.config.origin).host;
  const url = normalizeUrl(values.url);
  const comment = values.comment.replace(/\r\n?/g, "\n").trim();
  const { handles, hashtags } = commentReferences(comment);
  const resolved = await resolveMentions(deps.publishing, handles);
  const mentions = new Map(resolved.map((mention) => [handleKey(mention.handle), mention]));
  const tagHref = (tag: string) => tagPageUrl(deps.config.origin, tag);
  const commentHtml = renderMarkdown(comment, { tagHref, mentions });
  const title = values.title.trim() || (url ?? "");
  const tags = normalizeTags([...normalizeTags(values.tags), ...hashtags]);
  const contentHtml = noteContent({ url, title, commentHtml, tags, language: values.language }, tagHref);
  return {
    mastodon: {
      mentions: handles.map((handle) => ({ handle, resolved: mentions.has(handleKey(handle)) })),
      displayName: account?.display_name || account?.username || "",
      handle: `@${account?.username ?? ""}@${host}`,
      avatarUrl: account?.avatar_url ?? null,
      contentHtml,
      card,
      length: htmlToText(contentHtml).length,
    },
    blog: {
      id: "preview",
      url,
      title,
      comment,
      comment_html: commentHtml,
      tags,
      visibility: values.visibility,
      language: values.language,
      pinned: values.pinned,
      preview: card,
      mentions: [],
      published_at: new Date(),
      updated_at: null,
      federated_at: null,
      generation: 0,
      deleted_at: null,
    },
  };
}
