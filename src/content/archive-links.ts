// Where an archived copy of a dead link can be read: the Wayback Machine's copy nearest the
// post's date, and archive.today's newest one.

/** `https://web.archive.org/web/20261130120000/https://example.org/page` */
export function waybackUrl(url: string, date: Date): string {
  const stamp = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `https://web.archive.org/web/${stamp}/${url}`;
}

export function archiveTodayUrl(url: string): string {
  return `https://archive.ph/newest/${url}`;
}

const ARCHIVE_LABEL = "Archived copy";

/** The commentary with a Markdown link to the archived copy added, once. */
export function withArchiveLink(comment: string, archiveUrl: string): string {
  if (comment.includes(archiveUrl)) return comment;
  const line = `[${ARCHIVE_LABEL}](<${archiveUrl}>)`;
  return comment.trim() === "" ? line : `${comment.trimEnd()}\n\n${line}`;
}
