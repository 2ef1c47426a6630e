-- The session's log in a table of its own (issue 14): a change appends its entries instead of
-- rewriting the whole log (up to 200 entries, most of a session's document) with the row.
--
-- Entries of one key are numbered from session.log_start (where the current life of the key began:
-- a re-created session starts at the next multiple of 20, after the entries of its earlier life) to
-- session.log_next (exclusive). Entry n is kept in chunk n / 20 as the contract's JSON of the entry
-- ({"at":"…","entry":"…"}), comma-separated after the chunk's earlier entries, so an append rewrites one
-- small row and reading the newest 200 entries reads at most 11. A write that begins a chunk removes
-- the chunks out of view; the purge removes a purged session's chunks (session/store/SessionTable).
CREATE TABLE session_log (
    store   text    NOT NULL,
    key     text    NOT NULL,
    chunk   integer NOT NULL,
    entries text    NOT NULL,
    PRIMARY KEY (store, key, chunk)
);

ALTER TABLE session ADD COLUMN log_start integer NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN log_next integer NOT NULL DEFAULT 0;

-- Rows written before this migration keep their log in the document: it is read from there, and the
-- next change of the session moves it to session_log (no statement here rewrites the table).
