-- Session events: the outbox. Every change that is written records its event here in the same
-- statement (or transaction) as the session row, so a change and its event are saved together or not
-- at all (session/store/SessionTable).
--
-- Ids that paging never skips: an event's id is its writing transaction's id times 1000 plus its
-- place within that transaction (a transaction writes at most one batch of the write pipeline, well
-- under 1000 events). Readers only return ids below 1000 x the oldest transaction still running
-- (pg_snapshot_xmin), so an event that commits late can never receive an id below one a reader has
-- already been given (docs/events.md, "Ids and paging").
CREATE TABLE session_event (
    store        text        NOT NULL,
    id           bigint      NOT NULL,
    session_key  text        NOT NULL,
    version      bigint      NOT NULL,
    type         text        NOT NULL,
    at           timestamptz NOT NULL,
    -- The event as delivered, without its id (which is the column above). json, not jsonb: kept as
    -- written (field order included) and not parsed again on every write.
    payload      json        NOT NULL,
    PRIMARY KEY (store, id)
);

-- One session's events in order (GET /events?session=, webhook ordering per session).
CREATE INDEX session_event_by_session ON session_event (store, session_key, id);

-- The retention purge deletes by age; a BRIN index costs next to nothing on an append-only table.
CREATE INDEX session_event_by_age ON session_event USING brin (at);

-- How many items a session holds, written with every change: abandoned-cart detection and the
-- store-wide query filter on it through indexes. Existing rows are counted once here.
ALTER TABLE session ADD COLUMN item_count integer NOT NULL DEFAULT 0;
UPDATE session
   SET item_count = (SELECT coalesce(sum((line ->> 'quantity')::integer), 0)
                       FROM jsonb_array_elements(document -> 'items') AS line)
 WHERE jsonb_typeof(document -> 'items') = 'array' AND jsonb_array_length(document -> 'items') > 0;
