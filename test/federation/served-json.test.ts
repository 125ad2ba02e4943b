// The one normalizing step for served JSON-LD, on its own.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeServedJson } from "../../src/federation/served-json.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ORIGIN = "https://blog.example";

describe("normalizeServedJson", () => {
  it("expands the public collection in addressing only, at any depth", () => {
    const document = {
      "@context": ["https://www.w3.org/ns/activitystreams", { Public: "as:Public" }],
      type: "OrderedCollectionPage",
      orderedItems: [{ type: "Create", to: "as:Public", cc: ["Public", `${ORIGIN}/users/owner/followers`], object: { type: "Note", to: ["as:Public"], content: "as:Public", name: "Public" } }],
    };
    const normalized = normalizeServedJson(document, ORIGIN) as any;
    const create = normalized.orderedItems[0];
    assert.equal(create.to, PUBLIC);
    assert.deepEqual(create.cc, [PUBLIC, `${ORIGIN}/users/owner/followers`]);
    assert.deepEqual(create.object.to, [PUBLIC]);
    assert.equal(create.object.content, "as:Public");
    assert.equal(create.object.name, "Public");
    assert.deepEqual(normalized["@context"], document["@context"], "contexts are left alone");
  });

  it("wraps a lone attachment in an array, and leaves arrays as they are", () => {
    const one = normalizeServedJson({ type: "Note", id: "https://other.example/n", attachment: { type: "PropertyValue", name: "a", value: "b" } }, ORIGIN) as any;
    assert.deepEqual(one.attachment, [{ type: "PropertyValue", name: "a", value: "b" }]);
    const two = normalizeServedJson({ type: "Note", attachment: [{ name: "a" }, { name: "b" }] }, ORIGIN) as any;
    assert.deepEqual(two.attachment, [{ name: "a" }, { name: "b" }]);
  });

  it("gives the blog's own actor attributionDomains with its context term, and no one else", () => {
    const actor = normalizeServedJson({ "@context": "https://www.w3.org/ns/activitystreams", type: "Person", id: `${ORIGIN}/users/owner` }, ORIGIN) as any;
    assert.deepEqual(actor.attributionDomains, ["blog.example"]);
    assert.deepEqual(actor["@context"][1].attributionDomains, { "@id": "toot:attributionDomains", "@type": "@id" });
    const other = normalizeServedJson({ type: "Person", id: "https://other.example/users/x" }, ORIGIN) as any;
    assert.equal(other.attributionDomains, undefined);
  });
});
