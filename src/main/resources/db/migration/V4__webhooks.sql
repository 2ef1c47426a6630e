-- Webhook subscriptions and their delivery queue (event/webhook, docs/webhooks.md).
--
-- Fan-out: each subscription keeps a cursor, the last event id it has looked at. A periodic job on
-- every replica claims subscriptions (FOR UPDATE SKIP LOCKED), turns the visible events after the
-- cursor that match its types into delivery rows and advances the cursor, in one statement. Events
-- are only read below the visibility horizon of the outbox (V3), so no event can commit below a
-- cursor later.
CREATE TABLE webhook (
    store                text        NOT NULL,
    id                   text        NOT NULL,
    url                  text        NOT NULL,
    -- '{*}' for every type, else the event types this subscription wants.
    types                text[]      NOT NULL,
    description          text,
    -- 'whsec_' + base64 of 32 random bytes: the HMAC key must be at hand to sign every delivery.
    secret               text        NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    -- The last event id fanned out into deliveries (or skipped as not wanted).
    cursor               bigint      NOT NULL,
    -- When the fan-out last looked at this subscription: it takes the longest-waiting first.
    fanned_at            timestamptz NOT NULL,
    last_success_at      timestamptz,
    last_failure_at      timestamptz,
    last_failure_status  integer,
    last_failure_error   text,
    PRIMARY KEY (store, id)
);

CREATE INDEX webhook_by_fanned_at ON webhook (fanned_at);

-- One event to one subscription. A row is pending until delivered (then deleted: the subscription
-- keeps its last success) or given up (failed, kept and listed until retried or the subscription is
-- deleted). Per (subscription, session) only the pending row with the lowest event id may be sent,
-- and only under a lease (claimed_until, claim), so no two replicas send one session's events to one
-- endpoint at once and a lease left by a killed replica runs out and is taken over.
CREATE TABLE webhook_delivery (
    store             text        NOT NULL,
    webhook_id        text        NOT NULL,
    event_id          bigint      NOT NULL,
    session_key       text        NOT NULL,
    event_type        text        NOT NULL,
    event_at          timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('pending', 'failed')),
    attempts          integer     NOT NULL DEFAULT 0,
    first_attempt_at  timestamptz,
    last_attempt_at   timestamptz,
    next_attempt_at   timestamptz NOT NULL,
    last_status       integer,
    last_error        text,
    claimed_until     timestamptz,
    claim             text,
    PRIMARY KEY (store, webhook_id, event_id),
    FOREIGN KEY (store, webhook_id) REFERENCES webhook (store, id) ON DELETE CASCADE
);

-- The head of each (subscription, session) queue: "is there an earlier pending delivery?"
CREATE INDEX webhook_delivery_queue ON webhook_delivery (store, webhook_id, session_key, event_id)
    WHERE status = 'pending';

-- Due deliveries, soonest first.
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';

-- Failed deliveries of a subscription, for the listing.
CREATE INDEX webhook_delivery_failed ON webhook_delivery (store, webhook_id, event_id) WHERE status = 'failed';
