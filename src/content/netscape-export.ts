// Writes posts as a Netscape bookmark file, the format Shaarli, linkding, Pinboard and browsers
// all import: one line per link, the commentary (Markdown) in <DD>, tags comma-separated.

export interface ExportedLink {
  readonly url: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date | null;
  readonly private: boolean;
}

export const NETSCAPE_HEADER = `<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
`;

export const NETSCAPE_FOOTER = "</DL><p>\n";

export function netscapeEntry(link: ExportedLink): string {
  const attributes = [
    `HREF="${escape(link.url)}"`,
    `ADD_DATE="${unixSeconds(link.createdAt)}"`,
    ...(link.updatedAt === null ? [] : [`LAST_MODIFIED="${unixSeconds(link.updatedAt)}"`]),
    `PRIVATE="${link.private ? 1 : 0}"`,
    `TAGS="${escape(link.tags.join(","))}"`,
  ];
  const description = link.description === "" ? "" : `<DD>${escape(link.description)}\n`;
  return `<DT><A ${attributes.join(" ")}>${escape(link.title)}</A>\n${description}`;
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
