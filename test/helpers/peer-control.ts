// The test's side of the peer's /control/* endpoints (test/helpers/peer.ts): what it received,
// what it fetched, and the activities it sends or the follows it makes on the test's behalf.
import assert from "node:assert/strict";

/** A delivery as the peer's /control/received lists it. */
export interface ReceivedActivity {
  readonly type: string;
  readonly id: string | null;
  readonly json: any;
  readonly raw: any;
  readonly signature: "draft-cavage" | "rfc9421" | "none";
  readonly userAgent: string | null;
  readonly receivedAt: string;
}

export interface PeerControl {
  /** POSTs `body` to /control/ACTION, asserts a 200, and answers its JSON. */
  control(action: string, body: unknown): Promise<any>;
  /** Has the peer's actor `as` (alice by default) sign and POST `activity` to `inbox`; asserts a 202. */
  send(inbox: string, activity: unknown, as?: string): Promise<void>;
  /** Every delivery, oldest first, each a ReceivedActivity; typed loosely, as tests read deep
   * into the activities and pick them by index. */
  received(): Promise<any[]>;
  /** GET requests the peer answered, by path. */
  fetches(): Promise<Record<string, number>>;
}

export function peerControl(origin: string): PeerControl {
  const control = async (action: string, body: unknown) => {
    const response = await fetch(`${origin}/control/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return await response.json();
  };
  return {
    control,
    async send(inbox, activity, as = "alice") {
      const result = (await control("send", { inbox, activity, as })) as { status: number; body: string };
      assert.equal(result.status, 202, result.body);
    },
    received: async () => (await (await fetch(`${origin}/control/received`)).json()) as ReceivedActivity[],
    fetches: async () => (await (await fetch(`${origin}/control/fetches`)).json()) as Record<string, number>,
  };
}
