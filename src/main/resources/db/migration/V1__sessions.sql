-- One row per session. Every access goes by the full primary key (store, key), so the table can
-- later be distributed by that key (e.g. on Citus) without changing a query on the write path.
CREATE TABLE session (
    store        text        NOT NULL,
    key          text        NOT NULL,
    version      bigint      NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'closed', 'merged')),
    member_id    text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    -- Everything else about the session: currency, landing, referrer, ip, items, discounts, logs.
    document     jsonb       NOT NULL,
    -- Idempotency keys applied within the last 24 hours, written with the change they belong to.
    applied_keys jsonb       NOT NULL DEFAULT '[]',
    PRIMARY KEY (store, key)
);

-- A member's open sessions in a store, most recently updated first (sign-in merge, member listing).
CREATE INDEX session_open_by_member ON session (store, member_id, updated_at DESC)
    WHERE status = 'open' AND member_id IS NOT NULL;

-- The expiry purge deletes in batches of the oldest expiries.
CREATE INDEX session_by_expiry ON session (expires_at);
