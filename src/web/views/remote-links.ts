// Links and pictures that point at other servers: only http(s), whatever was stored, so that no
// remote `javascript:` or `data:` URL becomes a link on Glose's pages.
import { absoluteHref, WEB } from "../../content/urls.ts";

/** The first http(s) URL among `candidates` (a page, then the id it stands for), or "#". */
export function remoteHref(...candidates: ReadonlyArray<string | null | undefined>): string {
  for (const candidate of candidates) {
    const href = candidate ? absoluteHref(candidate, WEB) : null;
    if (href !== null) return href;
  }
  return "#";
}
