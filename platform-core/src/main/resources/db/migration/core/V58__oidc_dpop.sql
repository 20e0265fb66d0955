-- DPoP (RFC 9449): a public client's grant made with a DPoP proof binds its refresh tokens to the
-- proof's key, by the key's SHA-256 JWK thumbprint; refreshing it needs a proof of the same key.
-- Confidential clients' refresh tokens stay bound to the client's own authentication (§5).
ALTER TABLE oidc_grant ADD COLUMN dpop_jkt text;
