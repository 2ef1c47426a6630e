-- Cart recovery links (contract v1.2, "Cart recovery links"): a link that a shop mails to give an
-- abandoned cart back on any device. The token itself is never stored: only its SHA-256 (hex), by which a
-- link is found (a token that differs from a real one in any character has an unrelated hash, so how
-- long a lookup takes says nothing about how much of a token matched).
--
-- A link belongs to one life of its session: session_created_at is the created_at of the session it
-- was made for, and a link is read only while that very session is in the row. The links go with
-- their session: the purge deletes the row (the foreign key cascades), a DELETE of the session turns
-- the row into a tombstone and deletes them in the same statement, and a new life of the key created
-- over an expired row deletes the earlier life's (session/store/SessionTable).
CREATE TABLE recovery_link (
    store              text        NOT NULL,
    id                 text        NOT NULL,
    token_hash         text        NOT NULL,
    session_key        text        NOT NULL,
    session_created_at timestamptz NOT NULL,
    campaign           text,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    used_at            timestamptz,
    PRIMARY KEY (store, id),
    FOREIGN KEY (store, session_key) REFERENCES session (store, key) ON DELETE CASCADE
);

-- Preview and restore find a link by its token's hash (and then check the store).
CREATE UNIQUE INDEX recovery_link_token ON recovery_link (token_hash);
-- A session's links: the listing, the limit of unexpired links, and the deletes with the session.
CREATE INDEX recovery_link_session ON recovery_link (store, session_key, created_at);
