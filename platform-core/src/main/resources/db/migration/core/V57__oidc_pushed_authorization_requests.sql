-- Pushed authorization requests (RFC 9126). A request a client pushes is a flow in the state
-- 'pushed': checked, stored, bound to no browser yet, found by the digest of its request_uri. The
-- authorization endpoint takes it from 'pushed' to 'login' in one checked UPDATE that binds it to
-- the browser, so a request_uri starts one sign-in only.
ALTER TABLE oidc_flow DROP CONSTRAINT IF EXISTS oidc_flow_state_check;
ALTER TABLE oidc_flow ADD CONSTRAINT oidc_flow_state_check CHECK (state IN ('pushed', 'login', 'consent', 'done', 'denied'));
ALTER TABLE oidc_flow ALTER COLUMN binding_hash DROP NOT NULL;
ALTER TABLE oidc_flow ADD CONSTRAINT oidc_flow_bound CHECK (state = 'pushed' OR binding_hash IS NOT NULL);
ALTER TABLE oidc_flow ADD COLUMN request_uri_hash bytea;
CREATE UNIQUE INDEX oidc_flow_request_uri ON oidc_flow (request_uri_hash) WHERE request_uri_hash IS NOT NULL;

-- A client that must push its authorization requests (RFC 9126 §6, require_pushed_authorization_requests).
ALTER TABLE oidc_client ADD COLUMN require_par boolean NOT NULL DEFAULT false;
