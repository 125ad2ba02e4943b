// Uploaded images: stored without their metadata (a photo's GPS position), capped, with the
// copies pages show at the sizes they show them; refused, naming the field, when they are not
// images or unpack to too many pixels; older uploads lose their metadata in a migration and get
// their copies at the first request; the favicon is the avatar's.
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import sharp from "sharp";
import { up as cleanOlderUploads } from "../../db/migrations/2026-11-30-26-image-sizes.ts";
import { getMedia, insertMedia } from "../../src/data/media.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { rawRequest } from "../helpers/raw-http.ts";

/** A photo as a phone takes it: a JPEG with the camera and the place in its EXIF. */
async function photoWithGps(width: number, height: number): Promise<Buffer> {
  return await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: "PhoneMaker", Model: "Phone 12" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 7/1" } })
    .toBuffer();
}

/** A PNG whose header claims 10,000 × 10,000 pixels (more than 40 million, fewer than sharp's own limit), in a few dozen bytes. */
function decompressionBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.byteLength);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(10_000, 0);
  header.writeUInt32BE(10_000, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk("IEND", Buffer.alloc(0))]);
}

for (const backend of backends()) {
  describe(`uploaded images (${backend})`, () => {
    let glose: TestGlose;
    let admin: AdminClient;

    before(async () => {
      glose = await startTestGlose(backend);
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
    });
    after(() => glose.destroy());

    const saveProfile = async (images: Record<string, Buffer | string>) => {
      const files = Object.entries(images).map(([field, bytes]) => [field, new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], `${field}.jpg`, { type: "image/jpeg" })]);
      return await admin.upload("/admin/settings", { display_name: "Le sblog", summary: "", default_visibility: "public", language: "fr" }, Object.fromEntries(files));
    };
    const mediaCount = async () => Number((await sql<{ n: string }>`select count(*) as n from media`.execute(glose.database.db)).rows[0]!.n);
    const fetchBytes = async (url: string) => {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      return { type: response.headers.get("content-type"), cacheControl: response.headers.get("cache-control"), bytes: Buffer.from(await response.arrayBuffer()) };
    };

    it("refuses a file that is no image, naming the field, and stores nothing", async () => {
      const before = await mediaCount();
      const response = await saveProfile({ avatar: "<svg onload=alert(1)>" });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Avatar: this file is not a PNG, JPEG, GIF or WebP image\./);
      // The right signature, then garbage: only decoding tells.
      const truncated = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
      const broken = await saveProfile({ avatar: await photoWithGps(64, 64), header: truncated });
      assert.equal(broken.status, 400);
      assert.match(await broken.text(), /Header image: this file is not a PNG, JPEG, GIF or WebP image\./);
      assert.equal(await mediaCount(), before, "the valid avatar beside it was not stored either");
    });

    it("refuses a decompression bomb, naming the field", async () => {
      const before = await mediaCount();
      const response = await saveProfile({ header: decompressionBomb() });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Header image: the image holds more than 40 million pixels, the limit\./);
      assert.equal(await mediaCount(), before);
      const { rows } = await sql<{ header_url: string | null }>`select header_url from account`.execute(glose.database.db);
      assert.equal(rows[0]?.header_url, null);
    });

    it("stores an avatar and a header without their EXIF, capped, with copies at the sizes shown", async () => {
      const photo = await photoWithGps(1200, 900);
      assert.ok((await sharp(photo).metadata()).exif !== undefined, "the upload carries EXIF");
      const response = await saveProfile({ avatar: photo, header: await photoWithGps(3000, 1000) });
      assert.equal(response.status, 303);
      await response.body?.cancel();
      const { rows } = await sql<{ avatar_url: string; header_url: string }>`select avatar_url, header_url from account`.execute(glose.database.db);
      const { avatar_url: avatar, header_url: header } = rows[0]!;
      assert.match(avatar, /\/media\/[A-Za-z0-9_-]{22}\.jpg$/);

      const original = await fetchBytes(avatar);
      assert.equal(original.type, "image/jpeg");
      assert.equal(original.cacheControl, "public, max-age=31536000, immutable");
      const metadata = await sharp(original.bytes).metadata();
      assert.equal(metadata.exif, undefined, "no EXIF");
      assert.ok(!original.bytes.includes("PhoneMaker"), "no camera");
      assert.deepEqual([metadata.width, metadata.height], [400, 300], "capped for federation");
      const stored = await sql<{ bytes: Uint8Array }>`select bytes from media`.execute(glose.database.db);
      for (const row of stored.rows) assert.equal((await sharp(Buffer.from(row.bytes)).metadata()).exif, undefined, "no stored image keeps EXIF");

      const base = avatar.replace(/\.jpg$/, "");
      for (const [variant, type, width, height] of [
        ["s32.webp", "image/webp", 32, 32],
        ["s64.webp", "image/webp", 64, 64],
        ["s96.webp", "image/webp", 96, 96],
        ["s192.webp", "image/webp", 192, 192],
        ["s32.png", "image/png", 32, 32],
        ["s180.png", "image/png", 180, 180],
      ] as const) {
        const copy = await fetchBytes(`${base}.${variant}`);
        assert.equal(copy.type, type, variant);
        assert.equal(copy.cacheControl, "public, max-age=31536000, immutable");
        const size = await sharp(copy.bytes).metadata();
        assert.deepEqual([size.width, size.height], [width, height], variant);
      }
      const headerBase = header.replace(/\.jpg$/, "");
      assert.deepEqual([(await sharp((await fetchBytes(header)).bytes).metadata()).width], [1500]);
      for (const [variant, width] of [["w700.webp", 700], ["w1500.webp", 1500]] as const) {
        assert.equal((await sharp((await fetchBytes(`${headerBase}.${variant}`)).bytes).metadata()).width, width);
      }

      const home = await (await fetch(new URL("/", glose.origin), { headers: { Accept: "text/html" } })).text();
      const path = (url: string) => new URL(url).pathname;
      assert.ok(home.includes(`src="${glose.origin}${path(base)}.s32.webp" srcset="${glose.origin}${path(base)}.s64.webp 2x"`), "the header's icon at 1x and 2x");
      assert.ok(home.includes(`srcset="${glose.origin}${path(base)}.s192.webp 2x"`), "the profile's avatar at 2x");
      assert.ok(home.includes(`${path(headerBase)}.w700.webp 700w, ${glose.origin}${path(headerBase)}.w1500.webp 1500w`), "the header for phones and wide screens");
      assert.ok(home.includes(`<link rel="icon" type="image/png" sizes="32x32" href="${glose.origin}${path(base)}.s32.png">`));
      assert.ok(home.includes(`<link rel="apple-touch-icon" href="${glose.origin}${path(base)}.s180.png">`));

      const actor = (await (await fetch(new URL(`/users/${OWNER}`, glose.origin), { headers: { Accept: ACTIVITY_JSON } })).json()) as { icon: { url: string } };
      assert.equal(actor.icon.url, avatar, "federation gets the original, in its own format");

      const favicon = await rawRequest(new URL("/favicon.ico", glose.origin).href);
      assert.equal(favicon.headers["content-type"], "image/x-icon");
      assert.deepEqual(favicon.body.subarray(22), (await fetchBytes(`${base}.s32.png`)).bytes, "the avatar's 32 px PNG inside");
    });

    it("makes the copies of an image uploaded before they existed at its first request, once", async () => {
      const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#336699" } }).png().toBuffer();
      await insertMedia(glose.database.db, "olderUpload12345.png", "image/png", png);
      const copy = await fetchBytes(`${glose.origin}/media/olderUpload12345.s96.webp`);
      assert.equal(copy.type, "image/webp");
      assert.deepEqual([(await sharp(copy.bytes).metadata()).width, (await sharp(copy.bytes).metadata()).height], [96, 96]);
      const { rows } = await sql<{ id: string }>`select id from media where id like 'olderUpload12345%' order by id`.execute(glose.database.db);
      assert.deepEqual(rows.map((row) => row.id), ["olderUpload12345.png", "olderUpload12345.s96.webp"]);
      assert.equal((await fetch(`${glose.origin}/media/olderUpload12345.s77.webp`)).status, 404, "only the sizes pages show");
      assert.equal((await fetch(`${glose.origin}/media/nothing.s96.webp`)).status, 404);
    });

    it("removes the metadata of images uploaded before, keeping their names", async () => {
      await insertMedia(glose.database.db, "olderPhoto123456.jpg", "image/jpeg", await photoWithGps(120, 80));
      await insertMedia(glose.database.db, "notAnImage123456.png", "image/png", Buffer.from("not an image"));
      await cleanOlderUploads(glose.database.db);
      const photo = await getMedia(glose.database.db, "olderPhoto123456.jpg");
      const metadata = await sharp(Buffer.from(photo!.bytes)).metadata();
      assert.equal(metadata.exif, undefined);
      assert.deepEqual([metadata.format, metadata.width, metadata.height], ["jpeg", 120, 80]);
      assert.deepEqual(Buffer.from((await getMedia(glose.database.db, "notAnImage123456.png"))!.bytes).toString(), "not an image", "left as it was");
    });
  });
}
