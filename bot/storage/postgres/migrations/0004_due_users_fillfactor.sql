-- A due row is rewritten several times a delivery (claimed, its lease renewed, released)
-- without its indexed columns changing but for the release: room on its page lets those
-- be heap-only updates, with no new entry in either index for every one of them.
ALTER TABLE due_users SET (fillfactor = 50);
