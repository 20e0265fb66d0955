-- A grant carries its refresh-token family: the generation of its one live refresh token and when
-- that token expires. Refresh tokens name their grant and generation under a MAC, so a rotation
-- updates the grant's row in place and a code exchange writes no token row. oidc_refresh_token
-- keeps the tokens issued before; each is rotated into its grant's family on its next use.
ALTER TABLE oidc_grant ADD COLUMN IF NOT EXISTS refresh_generation int;
ALTER TABLE oidc_grant ADD COLUMN IF NOT EXISTS refresh_expires_at timestamptz;
-- room on every page for the updated version of a row, so a rotation is heap-only (no index covers the family)
ALTER TABLE oidc_grant SET (fillfactor = 75);
