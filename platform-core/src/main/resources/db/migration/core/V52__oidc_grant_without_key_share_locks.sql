-- A grant is made from its flow in the code exchange's one statement, which copies the flow's
-- client and account (both checked by the flow's own foreign keys, and the flow is locked while it
-- is copied). Checking them again on every grant took a FOR KEY SHARE lock on the client's row
-- (and the account's) in each exchange: all exchanges of one service locked the same row at once,
-- so PostgreSQL made a new multixact for almost every one. Accounts are never deleted (they are
-- closed with deleted_at); a service's grants are deleted with it by ClientRepository.delete, in
-- the same transaction, after the client row (whose cascade to the flows waits for an exchange in
-- progress, so the grant it makes is seen and deleted too).
ALTER TABLE oidc_grant DROP CONSTRAINT IF EXISTS oidc_grant_client_id_fkey;
ALTER TABLE oidc_grant DROP CONSTRAINT IF EXISTS oidc_grant_account_id_fkey;
