/** Shared-link URLs: validation and Shaarli-style cleanup. Pure. */

/**
 * Query parameters that only track the click, never select content. Shaarli's list
 * (`Url::$annoyingQueryParams`: fb_, fb, action_*_map, PHPSESSID, __scoop, utm_, xtor,
 * campaign_) plus the click ids and newsletter ids common today. Compared lowercased.
 */
const TRACKING_PARAMS = new Set([
  "action_object_map", "action_ref_map", "action_type_map", "fb", "phpsessid", "xtor",
  "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid",
  "ttclid", "twclid", "li_fat_id", "igshid", "igsh", "epik", "srsltid", "_ga", "_gl",
  "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp",
  "vero_id", "vero_conv", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "_openstat",
  "ref_src", "ref_url", "__twitter_impression", "ocid", "wt.mc_id", "wt.mc_ev",
  "ns_campaign", "ns_mchannel", "ns_source", "ns_linkname", "ns_fee",
  // AT Internet / Piano Analytics, used by most French news sites.
  "at_medium", "at_campaign", "at_campaign_group", "at_send_date", "at_recipient_id",
  "at_recipient_list", "at_link", "at_link_id", "at_link_origin", "at_link_type", "at_ptr_name",
  "at_creation", "at_emailtype", "at_format", "at_platform", "at_type", "at_variant",
]);
const TRACKING_PREFIXES = ["utm_", "fb_", "__scoop", "campaign_", "pk_", "mtm_", "hsa_"];
/** Fragments that are tracking too (Shaarli: `xtor=RSS-`, `tk.rss_all`; Le Monde: Echobox). */
const TRACKING_FRAGMENT = /^(?:xtor=|tk\.rss_all|echobox=)/i;
/** Firefox's reader view wraps the page URL; Shaarli unwraps it too. */
const READER_PREFIX = /^about:(?:\/\/)?reader\?url=/i;

function isTrackingParam(pair: string): boolean {
  const rawName = pair.split("=", 1)[0] ?? "";
  let name = rawName.replaceAll("+", " ");
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape is compared as written.
  }
  name = name.toLowerCase();
  return TRACKING_PARAMS.has(name) || TRACKING_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * An absolute http(s) URL, normalized the WHATWG way (lowercase scheme and host, punycode
 * host, default port dropped), without tracking parameters or an empty fragment; other
 * parameters keep their order and spelling. `null` for anything else (`javascript:`, relative).
 */
export function normalizeUrl(input: string): string | null {
  let text = input.trim();
  const reader = READER_PREFIX.exec(text);
  if (reader !== null) {
    try {
      text = decodeURIComponent(text.slice(reader[0].length)).trim();
    } catch {
      return null;
    }
  }
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  // Rebuild the query from its raw pairs: URLSearchParams would re-encode the ones we keep.
  url.search = url.search.slice(1).split("&").filter((pair) => pair !== "" && !isTrackingParam(pair)).join("&");
  if (url.hash === "" || TRACKING_FRAGMENT.test(url.hash.slice(1))) url.hash = "";
  return url.href;
}

/** `href` serialized by the URL parser if it is absolute with one of `protocols` (`"https:"`…), else null. */
export function absoluteHref(href: string, protocols: readonly string[]): string | null {
  if (!URL.canParse(href)) return null;
  const url = new URL(href);
  return protocols.includes(url.protocol) ? url.href : null;
}

export const WEB = ["http:", "https:"] as const;
export const WEB_AND_MAIL = ["http:", "https:", "mailto:"] as const;
