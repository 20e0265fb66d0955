-- Room on every page for the updated version of a row, so the updates of the token endpoint (a flow's
-- code marked used, a refresh token marked used) are heap-only: no new entries in the tables'
-- indexes for a change to a column no index covers. Applies to pages written from now on.
ALTER TABLE oidc_flow SET (fillfactor = 75);
ALTER TABLE oidc_refresh_token SET (fillfactor = 75);
