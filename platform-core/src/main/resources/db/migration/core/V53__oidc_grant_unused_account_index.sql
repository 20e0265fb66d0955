-- Nothing looks grants up by account first: withdrawal finds them by client and account
-- (oidc_grant_client_account), logout by sid, the rest by id. The index only cost every code
-- exchange one more insert.
DROP INDEX IF EXISTS oidc_grant_account;
