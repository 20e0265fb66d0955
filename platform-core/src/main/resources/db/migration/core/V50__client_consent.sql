-- Consent to a relying party lives in the consent ledger (consent.consent_record, service id
-- 'client:<client id>'), with its items, purposes and notice version; the provider's own record of
-- agreed scopes goes.
DROP TABLE IF EXISTS oidc_consent;

-- Under which subject identifier a client knows a citizen (pairwise by default). Written when the
-- citizen is signed in to the client; the service API finds the citizen by it.
CREATE TABLE IF NOT EXISTS oidc_subject (
  client_id   text NOT NULL REFERENCES oidc_client (client_id) ON DELETE CASCADE,
  subject     text NOT NULL,
  account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, subject)
);

-- Withdrawal revokes a client's grants for one citizen.
CREATE INDEX IF NOT EXISTS oidc_grant_client_account ON oidc_grant (client_id, account_id) WHERE revoked_at IS NULL;

-- OIDC Core §4 (initiating login from a third party): where a citizen who starts linking to the
-- service from the platform is sent.
ALTER TABLE oidc_client ADD COLUMN IF NOT EXISTS initiate_login_uri text;
