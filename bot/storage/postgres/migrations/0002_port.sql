-- The final store port: finished reminders in the order they finished, undo
-- records, the store's signing secret, and a version on each due-index row.

-- Finished reminders are listed newest first by when they finished, not by when
-- they were made.
CREATE SEQUENCE reminders_finished_seq;
ALTER TABLE reminders ADD COLUMN finished_seq bigint;
CREATE INDEX reminders_finished ON reminders (user_id, finished_seq)
    WHERE status IN ('done', 'cancelled');

-- What an undoable turn changed: [kind, id, before, after] per record.
CREATE TABLE undo_records (
    user_id text NOT NULL,
    id      text NOT NULL,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    changes jsonb NOT NULL,
    PRIMARY KEY (user_id, id)
);

-- A random key made once per store (signs button tokens).
CREATE TABLE store_secret (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);

-- Bumped by every commit that writes the row: a deliverer's put_back applies its
-- `when` only if no commit moved the user meanwhile.
ALTER TABLE due_users ADD COLUMN version bigint NOT NULL DEFAULT 0;
