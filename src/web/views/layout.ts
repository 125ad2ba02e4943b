// The page shell shared by every HTML page. hono/html escapes every interpolated value.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { staticUrl } from "../static-files.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  readonly title: string;
  readonly lang?: string;
  readonly head?: Html;
  /** The ActivityPub document this page is the HTML of, for servers that look it up by this URL. */
  readonly activity?: string;
  readonly body: Html;
}

export function page(options: PageOptions): Html {
  return html`<!doctype html>
<html lang="${options.lang ?? "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="stylesheet" href="${staticUrl("glose.css")}">
${options.activity === undefined ? "" : html`<link rel="alternate" type="application/activity+json" href="${options.activity}">`}
${options.head ?? ""}
</head>
<body>
${options.body}
</body>
</html>`;
}
