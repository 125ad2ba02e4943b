// Images uploaded before uploads were cleaned: written again without their metadata (EXIF, with a
// photo's GPS position), turned upright first, in their own format and under the same name.
// Their resized copies are made at the first request for each (see the media route).
import type { Kysely } from "kysely";
import sharp from "sharp";

const FORMATS: Record<string, "png" | "jpeg" | "gif" | "webp"> = { "image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp" };

export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string; content_type: string }[] = await db.selectFrom("media").select(["id", "content_type"]).execute();
  for (const { id, content_type } of rows) {
    const format = FORMATS[content_type];
    if (format === undefined) continue;
    const row = await db.selectFrom("media").select("bytes").where("id", "=", id).executeTakeFirstOrThrow();
    let bytes: Buffer;
    try {
      bytes = await sharp(row.bytes, { animated: true }).autoOrient().toFormat(format).toBuffer();
    } catch {
      // What cannot be decoded was never shown as an image either: left as it is.
      continue;
    }
    await db.updateTable("media").set({ bytes }).where("id", "=", id).execute();
  }
}
