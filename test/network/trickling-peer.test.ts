// A hostile server cannot stall Glose's deliveries: activities whose object sits on a server
// that trickles one byte a second keep the incoming workers busy, yet a new post reaches a
// follower at once (deliveries have workers of their own, and every fetch a deadline).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";
import { peerControl } from "../helpers/peer-control.ts";

for (const backend of backends()) {
  describe(`a peer whose documents trickle (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let glose: HttpsGlose;
    let peer: HttpsPeer;
    let trickling = 0;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      await network.serve("slow.test", (_request, response) => {
        trickling++;
        response.writeHead(200, { "Content-Type": "application/activity+json" });
        const timer = setInterval(() => response.write(" "), 1000);
        response.on("close", () => clearInterval(timer));
      });
      peer = await network.startPeer("peer.test");
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const received = () => peerControl(peer.origin).received();
    const control = (action: string, body: unknown) => peerControl(peer.origin).control(action, body);

    it("delivers a new post at once while incoming work waits on the trickling server", async () => {
      await control("follow", { target: `${glose.origin}/users/${OWNER}` });
      await waitFor("the Accept", async () => ((await received()).some((a) => a.type === "Accept") ? true : undefined));
      const alice = `${peer.origin}/users/alice`;
      for (let i = 0; i < 8; i++) {
        const sent = await control("send", {
          inbox: `${glose.origin}/inbox`,
          activity: {
            "@context": "https://www.w3.org/ns/activitystreams",
            id: `${alice}/statuses/${i}/activity`,
            type: "Create",
            actor: alice,
            to: ["https://www.w3.org/ns/activitystreams#Public"],
            object: `https://slow.test/notes/${i}`,
          },
        });
        assert.equal(sent.status, 202, sent.body);
      }
      await waitFor("the trickling fetches", async () => (trickling >= 4 ? true : undefined));
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const started = Date.now();
      await admin.publish({ url: "https://example.org/vite", title: "Vite", comment: "Sans attendre." });
      await waitFor("the Create", async () => ((await received()).some((a) => a.type === "Create") ? true : undefined), 20_000);
      const waited = Date.now() - started;
      assert.ok(waited < 10_000, `the Create took ${waited} ms`);
    });
  });
}
