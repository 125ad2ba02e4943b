// Page weight: the bytes a first visit to the home page and to a permalink downloads (HTML as
// sent plain, with brotli and with gzip; the stylesheet, the scripts and the images the page shows
// at 1x, each as sent to a browser that accepts brotli), with the French sample corpus as posts
// and a photo as avatar and header. Glose runs in this process on PGlite.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { parseConfig } from "../src/config.ts";
import { startGlose } from "../src/server.ts";
import { updateProfile } from "../src/services/profile.ts";
import { createPost } from "../src/services/publishing.ts";

const POSTS = 30;
const BROWSER = "br, gzip, deflate";

export async function run(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), "glose-bench-weight-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const origin = `http://127.0.0.1:${port}`;
  const glose = await startGlose(parseConfig({ PORT: String(port), ORIGIN: origin, DATA_DIR: dataDir, ACCOUNT: "owner", ADMIN_PASSWORD: "a bench password", LOG_LEVEL: "warning" }));
  try {
    const permalink = await fill(glose.database.db, origin);
    const lines = [
      `## Page weight, ${new Date().toISOString()}`,
      "",
      `Node ${process.version}, PGlite; load average ${loadavg().map((n) => n.toFixed(2)).join(" ")}. ${POSTS} posts from the French corpus, a 1600 × 1600 photo as avatar and a 3000 × 1000 one as header (JPEG, with EXIF). Bytes of a first visit at 1x: images are the \`src\` of each \`<img>\`, static files as sent to a browser accepting \`${BROWSER}\`.`,
      "",
      "| page | HTML | HTML, brotli | HTML, gzip | CSS | JS | images | total as sent |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const [name, path] of [["home", "/"], ["permalink", permalink]] as const) {
      const plain = await get(origin + path, { Accept: "text/html" });
      const br = await get(origin + path, { Accept: "text/html", "Accept-Encoding": "br" });
      const gzip = await get(origin + path, { Accept: "text/html", "Accept-Encoding": "gzip" });
      const html = plain.body.toString();
      const sum = async (urls: string[]) => {
        let total = 0;
        for (const url of new Set(urls)) total += (await get(new URL(url, origin).href, { "Accept-Encoding": BROWSER })).body.byteLength;
        return total;
      };
      const css = await sum(attributes(html, /<link rel="stylesheet" href="([^"]+)"/g));
      const js = await sum(attributes(html, /<script src="([^"]+)"/g));
      const images = await sum(attributes(html, /<img [^>]*?src="([^"]+)"/g));
      const sent = (await get(origin + path, { Accept: "text/html", "Accept-Encoding": BROWSER })).body.byteLength;
      lines.push(`| ${name} | ${kb(plain.body.byteLength)} | ${kb(br.body.byteLength)} | ${kb(gzip.body.byteLength)} | ${kb(css)} | ${kb(js)} | ${kb(images)} | ${kb(sent + css + js + images)} |`);
    }
    return lines.join("\n");
  } finally {
    await glose.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function fill(db: Parameters<typeof updateProfile>[0]["db"], origin: string): Promise<string> {
  const lines = (await readFile(new URL("../test/fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((line) => line.trim() !== "");
  const federation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
  let last = "";
  for (let i = 0; i < POSTS; i++) {
    const title = lines[(2 * i) % lines.length]!.slice(0, 200);
    const comment = lines[(2 * i + 1) % lines.length]!;
    const created = await createPost({ db, federation }, { url: `https://example.org/lien/${i}`, title, comment, tags: ["politique", "tech", "médias"][i % 3]! });
    if (!created.ok) throw new Error(`post ${i}: ${created.error}`);
    last = created.post.id;
  }
  const photo = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } })
      .blur(4)
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { Make: "PhoneMaker" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1" } })
      .toBuffer();
  const profile = await updateProfile(
    { db, origin, profileChanged: async () => {} },
    {
      displayName: "Le sblog",
      summary: lines[0]!.slice(0, 300),
      fields: [],
      defaultVisibility: "public",
      language: "fr",
      locked: false,
      avatar: { type: "image/jpeg", bytes: await photo(1600, 1600) },
      header: { type: "image/jpeg", bytes: await photo(3000, 1000) },
    },
  );
  if (!profile.ok) throw new Error(`profile: ${profile.error}`);
  return `/p/${last}`;
}

function attributes(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => match[1]!.replaceAll("&amp;", "&"));
}

/** The bytes as they come over the wire (fetch would decompress them). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => (response.statusCode === 200 ? resolve({ status: 200, body: Buffer.concat(chunks) }) : reject(new Error(`${url}: ${response.statusCode}`))));
    })
      .on("error", reject)
      .end();
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
