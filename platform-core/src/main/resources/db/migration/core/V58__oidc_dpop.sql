-- DPoP (RFC 9449): a public client's grant made with a DPoP proof binds its refresh tokens to the
-- proof's key, by the key's SHA-256 JWK thumbprint; refreshing it needs a proof of the same key.
-- Confidential clients' refresh tokens stay bound to the client's own authentication (§5).
ALTER TABLE oidc_grant ADD COLUMN dpop_jkt text;

-- A client that always sends DPoP proofs (RFC 9449 §5.2, dpop_bound_access_tokens): a token
-- request of it without one is refused.
ALTER TABLE oidc_client ADD COLUMN dpop_bound boolean NOT NULL DEFAULT false;
