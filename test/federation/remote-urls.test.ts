// URLs taken from a remote actor: a link, an inbox and a shared inbox are kept only when they
// are http(s) on a public address (unless ALLOW_PRIVATE_ADDRESS), and pages render only http(s)
// links whatever was stored.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InProcessMessageQueue, MemoryKvStore } from "@fedify/fedify";
import { Endpoints, Person } from "@fedify/vocab";
import { parseConfig } from "../../src/config.ts";
import { createFederation } from "../../src/federation/index.ts";
import { describeActor } from "../../src/federation/remote.ts";
import { remoteHref } from "../../src/web/views/remote-links.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

describe("remote actors' URLs", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase("pglite");
  });
  after(async () => await database.drop());

  const describe = (allowPrivate: boolean, person: Person) => {
    const config = parseConfig({ ORIGIN: "https://blog.example", ALLOW_PRIVATE_ADDRESS: String(allowPrivate) });
    const federation = createFederation({ config, kv: new MemoryKvStore(), queue: new InProcessMessageQueue() });
    return describeActor(federation.createContext(new URL(config.origin), { db: database.db, config }), person);
  };
  const person = (url: string, inbox: string, sharedInbox: string) =>
    new Person({
      id: new URL("https://peer.example/users/mallory"),
      preferredUsername: "mallory",
      url: new URL(url),
      inbox: new URL(inbox),
      endpoints: new Endpoints({ sharedInbox: new URL(sharedInbox) }),
    });

  it("drops links that are not http(s)", async () => {
    const actor = await describe(true, person("javascript:alert(1)", "https://93.184.216.34/inbox", "ftp://93.184.216.34/inbox"));
    assert.equal(actor.url, null);
    assert.equal(actor.inboxUrl, "https://93.184.216.34/inbox");
    assert.equal(actor.sharedInboxUrl, null);
  });

  it("drops inboxes on private addresses unless allowed", async () => {
    const internal = person("https://10.0.0.1/@mallory", "https://127.0.0.1/inbox", "http://169.254.169.254/inbox");
    const refused = await describe(false, internal);
    assert.deepEqual([refused.url, refused.inboxUrl, refused.sharedInboxUrl], [null, null, null]);
    const allowed = await describe(true, internal);
    assert.deepEqual([allowed.url, allowed.inboxUrl, allowed.sharedInboxUrl], ["https://10.0.0.1/@mallory", "https://127.0.0.1/inbox", "http://169.254.169.254/inbox"]);
  });

  it("renders only http(s) links", () => {
    assert.equal(remoteHref("javascript:alert(1)", "https://peer.example/users/mallory"), "https://peer.example/users/mallory");
    assert.equal(remoteHref("data:text/html,x", null), "#");
    assert.equal(remoteHref(null, undefined, "https://peer.example/@m"), "https://peer.example/@m");
  });
});
