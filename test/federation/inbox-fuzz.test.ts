// Thousands of mutated activities, shaped first as Mastodon, Misskey, Akkoma and GoToSocial send
// them, signed by the test peer and sent to a real Glose process: never a 5xx, never a crash,
// nothing garbage stored, the queue drains and the memory comes back near its level.
// FUZZ_COUNT sets how many (2,000 by default); the seed is fixed, so a failure comes back.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/data/client.ts";
import { akkomaPeer, LITEPUB_CONTEXT, LITEPUB_CONTEXT_PATH } from "../fixtures/akkoma.ts";
import { gotosocialPeer } from "../fixtures/gotosocial.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";
import { misskeyPeer } from "../fixtures/misskey.ts";
import { mutate, seededRandom, type Mutated } from "../helpers/activity-mutator.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD, ownerEnv, startGloseProcess, startPeer, waitFor } from "../helpers/processes.ts";

const SEED = 20261130;
const COUNT = Number(process.env.FUZZ_COUNT ?? 2_000);
const PARALLEL = 8;
const MEMORY_SLACK_MB = 64;

for (const backend of backends()) {
  describe(`inbox fuzz (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    let glose: Awaited<ReturnType<typeof startGloseProcess>>;
    let env: Record<string, string>;
    let origin: string;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      peer = await startPeer();
      env = await ownerEnv(database.env);
      origin = env.ORIGIN!;
      glose = await startGloseProcess(env);
      const response = await fetch(`${peer.origin}/control/serve`, {
        method: "POST",
        body: JSON.stringify({ path: LITEPUB_CONTEXT_PATH, document: LITEPUB_CONTEXT }),
      });
      assert.equal(response.status, 200);
    });
    after(async () => {
      await glose?.stop();
      await peer?.stop();
      await database?.drop();
    });

    it(`survives ${COUNT} mutated activities and stores nothing garbage`, { timeout: 600_000 }, async () => {
      const admin = new AdminClient(origin);
      await admin.logIn(OWNER_PASSWORD);
      const posts = [];
      for (const title of ["Premier lien", "Second lien"]) {
        posts.push(`${origin}/p/${await admin.publish({ url: `https://example.org/${encodeURIComponent(title)}`, title, comment: "Avis." })}`);
      }
      const seeds = seedActivities(peer.origin, origin, posts);
      const random = seededRandom(SEED);
      const payloads: Mutated[] = Array.from({ length: COUNT }, () => mutate(seeds[Math.floor(random() * seeds.length)]!(), random));
      // Unmutated activities, then a tenth of the mutated ones: caches, compiled code and the
      // heap's working size settle before the baseline.
      const warmUp = Math.ceil(COUNT / 10);
      await sendAll([...seeds.map((seed) => ({ activity: seed() })), ...payloads.slice(0, warmUp)]);
      await drained();
      const baseline = await residentMegabytes(glose.pid);

      const started = Date.now();
      const rest = payloads.slice(warmUp);
      const statuses = await sendAll(rest);
      const failures = statuses.flatMap((status, index) => (status >= 500 ? [`${status}: ${summarize(rest[index]!)}`] : []));
      // FUZZ_DUMP=file writes the failing payloads in full, and Glose's log.
      if (process.env.FUZZ_DUMP) await writeFile(process.env.FUZZ_DUMP, `${failures.join("\n")}\n----\n${glose.output()}`);
      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} answers were 5xx`);
      assert.equal((await fetch(`${origin}/healthz`)).status, 200, "alive");
      await drained();
      // An idle V8 gives memory back within seconds; a leak keeps it.
      let grown = Infinity;
      await waitFor("the memory to come back", async () => {
        grown = (await residentMegabytes(glose.pid)) - baseline;
        return grown < MEMORY_SLACK_MB ? true : undefined;
      }, 30_000).catch(() => assert.fail(`memory grew by ${grown.toFixed(0)} MB`));
      console.log(`${rest.length} activities sent and handled in ${((Date.now() - started) / 1000).toFixed(1)} s; memory ${grown >= 0 ? "+" : ""}${grown.toFixed(0)} MB`);
      assert.doesNotMatch(glose.output(), /Uncaught|FATAL|heap out of memory/);

      await glose.stop();
      await nothingGarbageStored(database.env, peer.origin);
    });

    async function sendAll(payloads: Mutated[]): Promise<number[]> {
      const statuses: number[] = new Array(payloads.length);
      let next = 0;
      const inboxes = [`${origin}/inbox`, `${origin}/users/${OWNER}/inbox`];
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < payloads.length) {
            const index = next++;
            const response = await fetch(`${peer.origin}/control/send`, {
              method: "POST",
              body: JSON.stringify({ inbox: inboxes[index % 2], ...payloads[index] }),
            });
            statuses[index] = ((await response.json()) as { status: number }).status;
            if (index % 250 === 0) assert.equal((await fetch(`${origin}/healthz`)).status, 200, `alive after ${index}`);
          }
        }),
      );
      return statuses;
    }

    // Retried jobs wait minutes, so a queue that keeps a delayed job has not drained.
    const drained = async () => {
      let depth: { ready?: number; delayed?: number } = {};
      await waitFor(
        "the queue to drain",
        async () => {
          depth = ((await (await fetch(`${origin}/readyz`)).json()) as { queue: typeof depth }).queue;
          return (depth.ready ?? 0) + (depth.delayed ?? 0) === 0 ? true : undefined;
        },
        120_000,
      ).catch((error: Error) => {
        const retried = glose.output().split("\n").filter((line) => /retry|Failed to (process|send)/.test(line));
        throw new Error(`${error.message} (${JSON.stringify(depth)}); retries:\n${retried.slice(0, 10).join("\n")}`);
      });
    };
  });
}

/** Builders of valid activities, one a kind, from the four servers' fixtures. */
function seedActivities(peerOrigin: string, origin: string, posts: string[]): (() => Record<string, any>)[] {
  const owner = `${origin}/users/${OWNER}`;
  const mastodon = mastodonPeer(peerOrigin);
  const misskey = misskeyPeer(peerOrigin);
  const akkoma = akkomaPeer(peerOrigin);
  const gotosocial = gotosocialPeer(peerOrigin);
  const [post, other] = posts as [string, string];
  const reply = () =>
    mastodon.reply({
      inReplyTo: post,
      owner,
      ownerHandle: `@${OWNER}@${new URL(origin).host}`,
      ownerUrl: `${origin}/`,
      html: "Bonne lecture <b>vraiment</b>",
      summary: "cw",
      emojis: [{ name: ":blob:", url: `${peerOrigin}/emoji/blob.png` }],
      attachments: [{ url: `${peerOrigin}/media/a.png`, mediaType: "image/png", name: "alt" }],
    });
  return [
    reply,
    () => mastodon.update(reply(), "Corrigé"),
    () => mastodon.deleteNote(reply()),
    () => mastodon.like(post),
    () => mastodon.announce(other, owner),
    () => mastodon.undo(mastodon.like(post)),
    () => mastodon.undo(mastodon.announce(post, owner)),
    () => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${peerOrigin}/follows/${crypto.randomUUID()}`, type: "Follow", actor: mastodon.actor, object: owner }),
    () => mastodon.undo({ id: `${peerOrigin}/follows/${crypto.randomUUID()}`, type: "Follow", actor: mastodon.actor, object: owner }),
    () => mastodon.move(mastodon.actor, `${peerOrigin}/users/bob`),
    () => mastodon.block(owner),
    () => mastodon.flag(owner, [post], "Spam <script>alert(1)</script>"),
    () => mastodon.quoteRequest(post, "Voyez ceci"),
    () => mastodon.updateActor({ name: "Alice", emojis: [{ name: ":blob:", url: `${peerOrigin}/emoji/blob.png` }] }),
    () => misskey.reaction(post, ":blob:", `${peerOrigin}/emoji/blob.png`),
    () => misskey.reaction(other, "👍"),
    () => misskey.quote(post, "Cité"),
    () => misskey.replyWithFiles(post, owner, [{ url: `${peerOrigin}/files/a.jpg`, type: "image/jpeg", comment: "alt" }]),
    () => akkoma.emojiReact(post, owner, "🎉"),
    () => akkoma.undo(akkoma.emojiReact(post, owner, "🎉"), owner),
    () => gotosocial.reply({ inReplyTo: other, owner, html: "<p>Salut</p>", images: [{ url: `${peerOrigin}/img.jpg`, alt: "x" }] }),
  ];
}

function summarize(payload: Mutated): string {
  const text = "raw" in payload ? payload.raw : JSON.stringify(payload.activity);
  return text.length > 300 && !process.env.FUZZ_DUMP ? `${text.slice(0, 300)}…` : text;
}

async function residentMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const UNSAFE_HTML = /<script|<iframe|<object|<embed|\son[a-z]+\s*=|javascript:|vbscript:|data:text/i;
const HTTP_URL = /^https?:\/\/[^\s\u0000]+$/;

/** Every stored row that came from the peer: its actor, its text and its URLs. */
async function nothingGarbageStored(env: { DATABASE_URL?: string; DATA_DIR?: string }, peerOrigin: string) {
  const database = await openDatabase({ url: env.DATABASE_URL ?? null, dataDir: env.DATA_DIR ?? null });
  try {
    const rows = async (query: string) => (await sql.raw<Record<string, unknown>>(query).execute(database.db)).rows;
    const problems: string[] = [];
    const check = (table: string, row: Record<string, unknown>, ok: boolean, what: string) => {
      if (!ok) problems.push(`${table} ${what}: ${JSON.stringify(row).slice(0, 300)}`);
    };
    const onPeer = (id: unknown) => typeof id === "string" && id.startsWith(`${peerOrigin}/`);
    const clean = (text: unknown) => text === null || (typeof text === "string" && !text.includes("\u0000"));
    const safe = (html: unknown) => clean(html) && !UNSAFE_HTML.test(String(html ?? ""));
    const http = (url: unknown) => url === null || (typeof url === "string" && HTTP_URL.test(url));
    const urls = (list: unknown) => Array.isArray(list) && list.every((item: any) => http(item.url) && clean(item.name));

    for (const row of await rows("select actor_id, url, content_html, summary, emojis, attachments from replies")) {
      check("reply", row, onPeer(row.actor_id), "actor");
      check("reply", row, safe(row.content_html) && clean(row.summary), "content");
      check("reply", row, http(row.url) && urls(row.emojis) && urls(row.attachments), "urls");
    }
    for (const row of await rows("select actor_id, emoji, emoji_url from reactions")) {
      check("reaction", row, onPeer(row.actor_id), "actor");
      check("reaction", row, clean(row.emoji) && http(row.emoji_url), "emoji");
    }
    for (const row of await rows("select actor_id, body from notifications")) {
      check("notification", row, onPeer(row.actor_id), "actor");
      check("notification", row, clean(row.body), "body");
    }
    for (const row of await rows("select actor_id, url, content_html from quotes")) {
      check("quote", row, onPeer(row.actor_id), "actor");
      check("quote", row, safe(row.content_html) && http(row.url), "content");
    }
    for (const row of await rows("select id, name, url, icon_url, inbox_url, shared_inbox_url, emojis from remote_actors")) {
      check("actor", row, onPeer(row.id), "id");
      check("actor", row, clean(row.name) && http(row.url) && http(row.icon_url) && http(row.inbox_url) && http(row.shared_inbox_url) && urls(row.emojis), "fields");
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} garbage rows`);
  } finally {
    await database.close();
  }
}
