-- Store insights (contract v1.2, "Store insights"): how customers came, and what came of it.
--
-- session_fact: one row per life of a session (store, key, created_at), written in the very statement
-- that writes the session (session/store/SessionWrites, the abandoned-cart scan's mark), so it is exactly
-- as current as the session and serialised by the session's own version check. It holds no key of a
-- customer beyond the session key, and outlives the session: the purge of expired sessions leaves it,
-- the insights purge removes it redfour.insights.retention after its day; a DELETE of the session
-- removes its life's row in the DELETE's statement.
--
-- The dimensions are stored as the insights show them (session/SessionFacts): source (utm.source, else
-- the referrer's host, else '(direct)'), medium and campaign (else '(none)'), referrer (host or
-- '(direct)'), landing (path without query, or '(none)'), for the first and the last touch.
CREATE TABLE session_fact (
    store          text        NOT NULL,
    session_key    text        NOT NULL,
    created_at     timestamptz NOT NULL,
    day            date        NOT NULL,
    currency       text        NOT NULL,
    first_source   text        NOT NULL,
    first_medium   text        NOT NULL,
    first_campaign text        NOT NULL,
    first_referrer text        NOT NULL,
    first_landing  text        NOT NULL,
    last_source    text        NOT NULL,
    last_medium    text        NOT NULL,
    last_campaign  text        NOT NULL,
    last_referrer  text        NOT NULL,
    last_landing   text        NOT NULL,
    -- had at least one line at some point (never goes back to false)
    with_items     boolean     NOT NULL,
    -- closed with POST /close
    converted      boolean     NOT NULL,
    -- got session.abandoned at least once (set only by the cart scan's mark)
    abandoned      boolean     NOT NULL,
    -- holds a restored cart (recoveredFrom set)
    recovered      boolean     NOT NULL,
    -- the total at close (0 unless converted)
    revenue        numeric     NOT NULL,
    -- the total as of the last change, kept current from the moment the session is reported abandoned
    value          numeric     NOT NULL,
    PRIMARY KEY (store, session_key, created_at)
);
-- The insights purge, by day: a BRIN index (rows arrive roughly in day order), which costs a write
-- next to nothing, where a B-tree would cost every session's creation one more index entry.
CREATE INDEX session_fact_day ON session_fact USING brin (day);

-- insight_delta: what each change of a fact row adds to the figures, appended by the same statement
-- (the row's old contribution with sign -1, its new one with +1). Appending never waits for another
-- session's write: no counter row is shared by a store's writes. The fold (insight/store/InsightFold)
-- moves deltas into insight_day in one transaction (delete + add), so a reader, which sums insight_day
-- and the deltas not yet folded in one statement, sees every change exactly once.
CREATE TABLE insight_delta (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store           text        NOT NULL,
    day             date        NOT NULL,
    currency        text        NOT NULL,
    first_source    text        NOT NULL,
    first_medium    text        NOT NULL,
    first_campaign  text        NOT NULL,
    first_referrer  text        NOT NULL,
    first_landing   text        NOT NULL,
    last_source     text        NOT NULL,
    last_medium     text        NOT NULL,
    last_campaign   text        NOT NULL,
    last_referrer   text        NOT NULL,
    last_landing    text        NOT NULL,
    sessions        integer     NOT NULL,
    with_items      integer     NOT NULL,
    converted       integer     NOT NULL,
    abandoned       integer     NOT NULL,
    -- abandoned and not converted: the sessions abandoned_value sums
    lost            integer     NOT NULL,
    recovered       integer     NOT NULL,
    revenue         numeric     NOT NULL,
    abandoned_value numeric     NOT NULL
);
-- No index but the key the fold takes them by: the fold keeps the table to the last few seconds of
-- changes, which a read scans faster than it would walk an index, and each index would cost every
-- change that writes a delta one more entry.

-- insight_day: the folded figures per store, touch, dimension, day, key and currency. 'source' rows also
-- answer by=day and by=none (every session is in exactly one source row per touch). The counts are
-- integers (a store's sessions of one day and key): a read sums integers much faster than bigints, whose
-- sums PostgreSQL accumulates as numeric.
CREATE TABLE insight_day (
    store           text        NOT NULL,
    touch           text        NOT NULL,
    dimension       text        NOT NULL,
    day             date        NOT NULL,
    key             text        NOT NULL,
    currency        text        NOT NULL,
    sessions        integer     NOT NULL,
    with_items      integer     NOT NULL,
    converted       integer     NOT NULL,
    abandoned       integer     NOT NULL,
    lost            integer     NOT NULL,
    recovered       integer     NOT NULL,
    revenue         numeric     NOT NULL,
    abandoned_value numeric     NOT NULL,
    PRIMARY KEY (store, touch, dimension, day, key, currency)
);
-- The insights purge, by day (written only by the fold, in the background).
CREATE INDEX insight_day_day ON insight_day (day);
