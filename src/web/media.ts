// Uploaded images and their resized copies, kept for good by browsers (a new upload has a new
// name), and the favicon made from the avatar.
import { Hono } from "hono";
import { variantUrl } from "../content/media-names.ts";
import { getAccount } from "../data/account.ts";
import { getMedia } from "../data/media.ts";
import { makeVariant } from "../services/images.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { IMMUTABLE, staticBytes } from "./static-files.ts";

export function mediaRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/media/:id", async (c) => {
    const id = c.req.param("id");
    const media = (await getMedia(deps.db, id)) ?? (await makeVariant(deps.db, id));
    if (media === undefined) return c.notFound();
    return c.body(Buffer.from(media.bytes), 200, {
      "Content-Type": media.content_type,
      "Cache-Control": IMMUTABLE,
      "X-Content-Type-Options": "nosniff",
    });
  });

  // Browsers ask for it whatever the page says: the avatar's 32 px PNG, or Glose's own icon.
  routes.get("/favicon.ico", async (c) => {
    const avatar = (await getAccount(deps.db))?.avatar_url;
    const id = avatar ? /\/media\/([^/]+)$/.exec(variantUrl(avatar, "s32.png"))?.[1] : undefined;
    const png = id === undefined ? undefined : ((await getMedia(deps.db, id)) ?? (await makeVariant(deps.db, id)))?.bytes;
    return c.body(Buffer.from(ico(png ?? staticBytes("glose-icon-32.png")!)), 200, {
      "Content-Type": "image/x-icon",
      "Cache-Control": "public, max-age=86400",
    });
  });

  return routes;
}

/** An ICO file holding one 32 px PNG, as every browser since 2010 reads it. */
export function ico(png: Uint8Array): Uint8Array {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // an icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(32, 6); // width
  header.writeUInt8(32, 7); // height
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.byteLength, 14);
  header.writeUInt32LE(22, 18); // where the PNG starts
  return Buffer.concat([header, png]);
}
