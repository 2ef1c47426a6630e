-- Idempotency keys remember what the first request came to as an outcome (created, changed,
-- deleted) instead of the HTTP status it was answered with: statuses belong to the HTTP edge.
-- Rewrites only rows holding a key in the old form (keys live 24 hours, so few rows do); the
-- service also still reads the old form, for rows an older replica writes during a rolling deploy.
UPDATE session
   SET applied_keys = (
       SELECT coalesce(jsonb_agg(
                  CASE WHEN k ? 'status'
                       THEN (k - 'status') || jsonb_build_object('outcome',
                                CASE (k ->> 'status')::int WHEN 201 THEN 'created'
                                                           WHEN 204 THEN 'deleted'
                                                           ELSE 'changed' END)
                       ELSE k END
                  ORDER BY ord), '[]'::jsonb)
         FROM jsonb_array_elements(applied_keys) WITH ORDINALITY AS e(k, ord))
 WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(applied_keys) AS e(k) WHERE k ? 'status');
