-- The account's security stamp when the citizen signed in for a flow, carried into its grant: a
-- password change, reset or e-mail change raises the stamp and so ends the grant's refresh tokens
-- and access at userinfo, as it ends the citizen's other browser sessions.
ALTER TABLE oidc_flow ADD COLUMN account_stamp int;
ALTER TABLE oidc_grant ADD COLUMN account_stamp int;
