/**
 * A typed client for the Red:4 shopping sessions API. The types in ./schema.ts are generated from the
 * service's OpenAPI document (`npm run generate -- <url of /q/openapi?format=json> -o src/schema.ts`);
 * requests are sent by openapi-fetch, so paths, parameters, bodies and answers are all checked by tsc.
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";
export type Session = components["schemas"]["SessionView"];
export type Problem = components["schemas"]["Problem"];
export type SessionsClient = Client<paths>;

/** A client for one store: every request carries `Authorization: Bearer <apiKey>`. */
export function sessionsClient(baseUrl: string, apiKey: string, fetchImpl?: typeof fetch): SessionsClient {
  const client = createClient<paths>({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  client.use({
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${apiKey}`);
      return request;
    },
  });
  return client;
}

/** The session path parameters every session operation takes. */
export function at(store: string, key: string) {
  return { params: { path: { store, key } } } as const;
}
