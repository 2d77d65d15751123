-- The coach's records, one row per record, every row keyed by its user id.
-- Records are the same JSON documents the TinyDB store keeps (bot/storage/records.py),
-- so a new model field needs no migration; the columns beside them are only what
-- lookups, ordering and delivery filter on.

CREATE TABLE users (
    user_id    text PRIMARY KEY,
    profile    jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contacts (
    user_id text NOT NULL,
    id      text NOT NULL,
    seq     bigint GENERATED ALWAYS AS IDENTITY,
    record  jsonb NOT NULL,
    PRIMARY KEY (user_id, id)
);

-- seq is the order of logging: "newest first" walks it backwards.
CREATE TABLE interactions (
    user_id text NOT NULL,
    id      text NOT NULL,
    seq     bigint GENERATED ALWAYS AS IDENTITY,
    record  jsonb NOT NULL,
    PRIMARY KEY (user_id, id),
    UNIQUE (user_id, seq)
);

-- History by contact: an old contact costs the same as a recent one.
CREATE TABLE interaction_contacts (
    user_id    text NOT NULL,
    contact_id text NOT NULL,
    seq        bigint NOT NULL,
    PRIMARY KEY (user_id, contact_id, seq),
    FOREIGN KEY (user_id, seq) REFERENCES interactions (user_id, seq) ON DELETE CASCADE
);

-- Open and finished reminders alike; finished ones are history.
CREATE TABLE reminders (
    user_id    text NOT NULL,
    id         text NOT NULL,
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    status     text NOT NULL,
    contact_id text NOT NULL,
    due_at     timestamptz NOT NULL,
    record     jsonb NOT NULL,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX reminders_open ON reminders (user_id, seq)
    WHERE status IN ('pending', 'sending', 'delivered');
CREATE INDEX reminders_due ON reminders (due_at) WHERE status IN ('pending', 'sending');

-- The due index: each user's next delivery time, and who holds the delivery claim.
-- Written in the same transaction as the reminders it summarises, so it is exact.
CREATE TABLE due_users (
    user_id     text PRIMARY KEY,
    channel     text NOT NULL,
    next_at     timestamptz NOT NULL,
    owner       text,
    lease_until timestamptz NOT NULL DEFAULT '-infinity'
);
CREATE INDEX due_users_next ON due_users (channel, next_at);

CREATE TABLE conversation_state (
    user_id text NOT NULL,
    name    text NOT NULL,
    value   jsonb NOT NULL,
    PRIMARY KEY (user_id, name)
);

CREATE TABLE buttons (
    user_id text NOT NULL,
    ref     text NOT NULL,
    payload jsonb NOT NULL,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (user_id, ref)
);
CREATE INDEX buttons_age ON buttons (user_id, at);

-- Telegram update ids already applied: a redelivered update is dropped.
CREATE TABLE processed_updates (
    update_id    bigint PRIMARY KEY,
    user_id      text,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_age ON processed_updates (processed_at);

-- The send journal: every piece of a reminder message handed to Telegram, and
-- whether Telegram confirmed it. A piece still 'sending' when its worker died is
-- 'uncertain': it may have arrived, so its re-send says so (bot/serve/deliver.py).
CREATE TABLE send_journal (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     text NOT NULL,
    envelope_id text NOT NULL,
    piece       integer NOT NULL,
    owner       text NOT NULL,
    state       text NOT NULL DEFAULT 'sending',
    message_id  bigint,
    flagged     boolean NOT NULL DEFAULT false,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX send_journal_piece ON send_journal (user_id, envelope_id, piece);
CREATE INDEX send_journal_age ON send_journal (started_at);

-- One shared send rate for every worker: the next free slot on the Bot API.
CREATE TABLE send_rate (
    name      text PRIMARY KEY,
    next_slot timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO send_rate (name) VALUES ('telegram');
