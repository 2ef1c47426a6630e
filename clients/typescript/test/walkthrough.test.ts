/**
 * The README's walk-through ("A cart, with curl"), driven through the typed client against a running
 * service: SESSIONS_URL (e.g. http://127.0.0.1:8080, or a validating proxy in front of it), store demo
 * with key demo-key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { sessionsClient } from "../src/client.js";

const baseUrl = process.env.SESSIONS_URL;
if (!baseUrl) {
  throw new Error("set SESSIONS_URL to the service's base URL");
}
const api = sessionsClient(baseUrl, process.env.SESSIONS_API_KEY ?? "demo-key");
const store = "demo";

test("the README walk-through", async () => {
  const key = "ts" + randomUUID().replaceAll("-", "");
  const path = { store, key };

  // find-or-create: 201 with Location the first time, 200 unchanged afterwards
  const created = await api.PUT("/v1/stores/{store}/sessions/{key}", {
    params: { path },
    body: { landing: "/rockets/falcon", referrer: "https://search.example/?q=rockets" },
  });
  assert.equal(created.response.status, 201);
  assert.ok(created.response.headers.get("Location")?.endsWith(`/v1/stores/demo/sessions/${key}`));
  assert.equal(created.data?.version, 1);
  assert.equal(created.data?.memberId, null);
  const again = await api.PUT("/v1/stores/{store}/sessions/{key}", { params: { path } });
  assert.equal(again.response.status, 200);
  assert.equal(again.data?.landing, "/rockets/falcon");

  // add two rockets
  const added = await api.POST("/v1/stores/{store}/sessions/{key}/items", {
    params: { path },
    body: { sku: "RKT-1", name: "Falcon rocket", price: 19.99, quantity: 2 },
  });
  assert.equal(added.response.status, 200);
  assert.equal(added.data?.items[0]?.lineTotal, 39.98);

  // change the quantity
  const changed = await api.PATCH("/v1/stores/{store}/sessions/{key}/items/{sku}", {
    params: { path: { ...path, sku: "RKT-1" } },
    body: { quantity: 3 },
  });
  assert.equal(changed.data?.subtotal, 59.97);

  // a discount: 10% of 59.97 = 5.997 -> 6.00, total 53.97
  const discounted = await api.POST("/v1/stores/{store}/sessions/{key}/discounts", {
    params: { path },
    body: { code: "SPRING10", percentOff: 10 },
  });
  assert.equal(discounted.data?.discountTotal, 6);
  assert.equal(discounted.data?.total, 53.97);
  assert.equal(discounted.response.headers.get("ETag"), '"4"');

  // conditional update at version 4, then a stale one: 412 with currentVersion
  const logged = await api.POST("/v1/stores/{store}/sessions/{key}/logs", {
    params: { path, header: { "If-Match": '"4"' } },
    body: { entry: "Viewed checkout" },
  });
  assert.equal(logged.response.status, 200);
  const stale = await api.POST("/v1/stores/{store}/sessions/{key}/logs", {
    params: { path, header: { "If-Match": '"4"' } },
    body: { entry: "Viewed checkout again" },
  });
  assert.equal(stale.response.status, 412);
  assert.equal(stale.error?.type, "/problems/precondition-failed");
  assert.equal(stale.error?.currentVersion, 5);

  // exactly once
  const closing = { params: { path, header: { "Idempotency-Key": "order-1001" } }, body: { orderId: "1001" } };
  const closed = await api.POST("/v1/stores/{store}/sessions/{key}/close", closing);
  assert.equal(closed.data?.status, "closed");
  const replayed = await api.POST("/v1/stores/{store}/sessions/{key}/close", closing);
  assert.equal(replayed.response.headers.get("Idempotent-Replayed"), "true");
  assert.equal(replayed.data?.version, closed.data?.version);

  // a closed session takes no more changes
  const refused = await api.POST("/v1/stores/{store}/sessions/{key}/items", {
    params: { path },
    body: { sku: "RKT-2", name: "Saturn", price: 5 },
  });
  assert.equal(refused.response.status, 409);
  assert.equal(refused.error?.type, "/problems/session-closed");

  // read it; 304 with If-None-Match
  const read = await api.GET("/v1/stores/{store}/sessions/{key}", { params: { path } });
  assert.equal(read.data?.status, "closed");
  assert.ok(read.response.headers.get("RateLimit")?.startsWith('"default";r='));
  assert.ok(read.response.headers.get("RateLimit-Policy")?.startsWith('"default";q='));
  const notModified = await api.GET("/v1/stores/{store}/sessions/{key}", {
    params: { path, header: { "If-None-Match": read.response.headers.get("ETag") ?? "" } },
  });
  assert.equal(notModified.response.status, 304);

  // problems: another key, a negative price, a session that is not there
  const other = sessionsClient(baseUrl, "not-a-key");
  const unauthorized = await other.GET("/v1/stores/{store}/sessions/{key}", { params: { path } });
  assert.equal(unauthorized.response.status, 401);
  assert.equal(unauthorized.error?.type, "/problems/unauthorized");
  const fresh = { store, key: key + "x" };
  await api.PUT("/v1/stores/{store}/sessions/{key}", { params: { path: fresh } });
  const negative = await api.POST("/v1/stores/{store}/sessions/{key}/items", {
    params: { path: fresh },
    body: { sku: "RKT-1", name: "Falcon", price: -1 },
  });
  assert.equal(negative.response.status, 422);
  assert.equal(negative.error?.type, "/problems/validation-failed");

  // sign in and list the member's sessions
  const member = "m-" + key.slice(0, 20);
  const signedIn = await api.PUT("/v1/stores/{store}/sessions/{key}/member", {
    params: { path: fresh },
    body: { memberId: member },
  });
  assert.equal(signedIn.data?.memberId, member);
  const listed = await api.GET("/v1/stores/{store}/members/{memberId}/sessions", {
    params: { path: { store, memberId: member } },
  });
  assert.equal(listed.data?.sessions.length, 1);

  const deleted = await api.DELETE("/v1/stores/{store}/sessions/{key}", { params: { path: fresh } });
  assert.equal(deleted.response.status, 204);
  const gone = await api.GET("/v1/stores/{store}/sessions/{key}", { params: { path: fresh } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.type, "/problems/not-found");
});

test("the README's cart recovery walk-through", async () => {
  const abandoned = { store, key: "ts-abandoned-" + randomUUID().replaceAll("-", "") };
  await api.PUT("/v1/stores/{store}/sessions/{key}", { params: { path: abandoned } });
  await api.POST("/v1/stores/{store}/sessions/{key}/items", {
    params: { path: abandoned },
    body: { sku: "RKT-1", name: "Falcon rocket", price: 19.99, quantity: 2 },
  });

  // a link for the abandoned-cart e-mail: the token is shown only in this answer
  const made = await api.POST("/v1/stores/{store}/sessions/{key}/recovery-links", {
    params: { path: abandoned },
    body: { ttl: "P7D", campaign: "abandoned-1h" },
  });
  assert.equal(made.response.status, 201);
  const token = made.data?.token ?? "";
  assert.match(token, /^[A-Za-z0-9_-]{22,64}$/);
  assert.equal(made.data?.campaign, "abandoned-1h");

  // the preview shows the cart and changes nothing
  const preview = await api.GET("/v1/stores/{store}/recovery/{token}", { params: { path: { store, token } } });
  assert.equal(preview.data?.status, "ready");
  assert.equal(preview.data?.items[0]?.sku, "RKT-1");
  assert.equal(preview.data?.total, 39.98);

  // restored on another device's session, which is created first
  const into = "ts-phone-" + randomUUID().replaceAll("-", "");
  const restored = await api.POST("/v1/stores/{store}/recovery/{token}/restore", {
    params: { path: { store, token } },
    body: { into },
  });
  assert.equal(restored.response.status, 200);
  assert.equal(restored.data?.items[0]?.quantity, 2);
  assert.equal(restored.data?.recoveredFrom?.campaign, "abandoned-1h");
  const again = await api.POST("/v1/stores/{store}/recovery/{token}/restore", {
    params: { path: { store, token } },
    body: { into: "ts-other-" + randomUUID().replaceAll("-", "") },
  });
  assert.equal(again.response.status, 410);
  assert.equal(again.error?.type, "/problems/recovery-link-used");

  const listed = await api.GET("/v1/stores/{store}/sessions/{key}/recovery-links", { params: { path: abandoned } });
  assert.equal(listed.data?.links.length, 1);
  assert.ok(listed.data?.links[0]?.usedAt);
});

test("the README's store insights", async () => {
  // a campaign of its own, so that its row holds only this session
  const source = "ts-" + randomUUID().slice(0, 8);
  const path = { store, key: "ts-insights-" + randomUUID().replaceAll("-", "") };
  await api.PUT("/v1/stores/{store}/sessions/{key}", { params: { path }, body: { landing: `/p?utm_source=${source}` } });
  await api.POST("/v1/stores/{store}/sessions/{key}/items", {
    params: { path },
    body: { sku: "RKT-1", name: "Falcon rocket", price: 19.99, quantity: 2 },
  });
  await api.POST("/v1/stores/{store}/sessions/{key}/close", { params: { path }, body: {} });

  const insights = await api.GET("/v1/stores/{store}/insights", {
    params: { path: { store }, query: { by: "source", touch: "first", limit: 500 } },
  });
  assert.equal(insights.response.status, 200);
  // the operation also answers text/csv: the JSON body is the one that is not a string
  const body = insights.data;
  assert.ok(body !== undefined && typeof body !== "string");
  const row = body.rows.find((r) => r.key === source);
  assert.deepEqual(
    [row?.sessions, row?.withItems, row?.converted, row?.conversionRate, row?.revenue["USD"]],
    [1, 1, 1, 1, 39.98],
  );
  // a window the document allows and the service refuses: from after to
  const refused = await api.GET("/v1/stores/{store}/insights", {
    params: { path: { store }, query: { from: "2026-11-30", to: "2026-11-01" } },
  });
  assert.equal(refused.response.status, 400);
  assert.equal(refused.error?.type, "/problems/invalid-request");
});

/**
 * Refusals the document declares, each a request the document allows and the service refuses: through
 * a validating proxy, an answer the document does not declare for its operation fails the run.
 */
test("refusals the document declares", async () => {
  const key = "tr" + randomUUID().replaceAll("-", "");
  const path = { store, key };
  await api.PUT("/v1/stores/{store}/sessions/{key}", { params: { path } });

  // the same Idempotency-Key with another request: 422 idempotency-key-reused
  const first = await api.POST("/v1/stores/{store}/sessions/{key}/logs", {
    params: { path, header: { "Idempotency-Key": "log-once" } },
    body: { entry: "Viewed checkout" },
  });
  assert.equal(first.response.status, 200);
  const reused = await api.POST("/v1/stores/{store}/sessions/{key}/logs", {
    params: { path, header: { "Idempotency-Key": "log-once" } },
    body: { entry: "Viewed the cart" },
  });
  assert.equal(reused.response.status, 422);
  assert.equal(reused.error?.type, "/problems/idempotency-key-reused");

  // two lines with one sku: the sku endpoints answer 409 ambiguous-line
  for (const engraving of ["For Ada", "For Grace"]) {
    await api.POST("/v1/stores/{store}/sessions/{key}/items", {
      params: { path },
      body: { sku: "RKT-1", name: "Falcon rocket", price: 19.99, attributes: { engraving } },
    });
  }
  const ambiguous = await api.PATCH("/v1/stores/{store}/sessions/{key}/items/{sku}", {
    params: { path: { ...path, sku: "RKT-1" } },
    body: { quantity: 2 },
  });
  assert.equal(ambiguous.response.status, 409);
  assert.equal(ambiguous.error?.type, "/problems/ambiguous-line");

  // no such line: 404; a malformed If-Match: 400
  const noLine = await api.DELETE("/v1/stores/{store}/sessions/{key}/lines/{lineId}", {
    params: { path: { ...path, lineId: "no-such-line" } },
  });
  assert.equal(noLine.response.status, 404);
  const malformed = await api.DELETE("/v1/stores/{store}/sessions/{key}/note", {
    params: { path, header: { "If-Match": "version 4" } },
  });
  assert.equal(malformed.response.status, 400);
  assert.equal(malformed.error?.type, "/problems/invalid-request");

  // a body over 16 KiB: 413
  const manyAttributes: Record<string, string> = {};
  for (let i = 0; i < 100; i++) {
    manyAttributes[`key-${i}`] = "x".repeat(200);
  }
  const tooLarge = await api.PATCH("/v1/stores/{store}/sessions/{key}/attributes", {
    params: { path },
    body: manyAttributes,
  });
  assert.equal(tooLarge.response.status, 413);
  assert.equal(tooLarge.error?.type, "/problems/payload-too-large");

  // webhooks: a URL the service refuses (422), a body over 16 KiB (413), a malformed id (400)
  const hook = { store, id: "ts-" + key.slice(2, 30) };
  const refusedUrl = await api.PUT("/v1/stores/{store}/webhooks/{id}", {
    params: { path: hook },
    body: { url: "ftp://127.0.0.1/hook" },
  });
  assert.equal(refusedUrl.response.status, 422);
  assert.equal(refusedUrl.error?.type, "/problems/validation-failed");
  const largeHook = await api.PUT("/v1/stores/{store}/webhooks/{id}", {
    params: { path: hook },
    body: { url: "http://127.0.0.1:9/hook", types: Array.from({ length: 50 }, () => "x".repeat(400)) },
  });
  assert.equal(largeHook.response.status, 413);
  const badId = await api.GET("/v1/stores/{store}/webhooks/{id}", { params: { path: { store, id: "Not_An_Id" } } });
  assert.equal(badId.response.status, 400);
});
