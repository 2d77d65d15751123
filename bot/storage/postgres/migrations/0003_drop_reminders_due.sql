-- No query reads open reminders by due time across users: who is due when is the
-- due_users table's. The index cost an entry for every reminder made or claimed
-- (pending -> sending writes a new row version, so a new entry in every index).
DROP INDEX IF EXISTS reminders_due;
