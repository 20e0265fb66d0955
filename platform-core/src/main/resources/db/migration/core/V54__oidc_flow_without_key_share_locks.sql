-- A flow's client and account are checked by the code that writes them (the client comes from the
-- node's client cache after the authorization request was validated against it; the account from a
-- sign-in that just read it), as the grants' are since V52. The foreign keys took a FOR KEY SHARE
-- lock on the client's row in every authorization request and on the account's row in every
-- sign-in: all sign-ins to one service locked the same row, a new multixact whenever two overlapped.
-- Accounts are never deleted (they are closed with deleted_at). A removed service's flows are
-- deleted by ClientRepository.delete in its transaction, before its grants: that DELETE waits for
-- an exchange in progress on one of them, so the grant that exchange makes is seen and deleted too.
ALTER TABLE oidc_flow DROP CONSTRAINT IF EXISTS oidc_flow_client_id_fkey;
ALTER TABLE oidc_flow DROP CONSTRAINT IF EXISTS oidc_flow_account_id_fkey;
