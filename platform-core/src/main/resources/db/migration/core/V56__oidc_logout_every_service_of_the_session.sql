-- Ending a session sends its logout token to every service the session signed in, also to one whose
-- grant was revoked before (a reused refresh token, the service's own revocation, a withdrawn
-- consent): the service still holds the sign-in. So the session's grants are found whatever their
-- state, and a service gets one logout token per session however often the session is ended.
DROP INDEX IF EXISTS oidc_grant_sid;
CREATE INDEX oidc_grant_sid ON oidc_grant (sid) WHERE sid IS NOT NULL;
ALTER TABLE oidc_logout_delivery ADD COLUMN sid text;
CREATE UNIQUE INDEX oidc_logout_delivery_once ON oidc_logout_delivery (client_id, sid);
