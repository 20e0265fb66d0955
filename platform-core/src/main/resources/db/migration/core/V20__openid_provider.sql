-- OpenID provider: signing keys, registered clients (services), persisted authorization flows,
-- grants with their refresh-token families, remembered consents, revoked access tokens and the
-- outbox of back-channel logout tokens.

-- A signing key is published from created_at, signs from activates_at until the next key of the
-- same algorithm activates, and is removed once nothing it signed can still be valid.
CREATE TABLE oidc_signing_key (
  kid          text PRIMARY KEY,
  alg          text NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  public_jwk   jsonb NOT NULL,
  private_jwk  bytea NOT NULL,             -- AES-256-GCM sealed when a key-encryption key is configured
  sealed       boolean NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  activates_at timestamptz NOT NULL
);
CREATE INDEX oidc_signing_key_alg ON oidc_signing_key (alg, activates_at DESC);

CREATE TABLE oidc_client (
  client_id                 text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._-]{8,64}$'),
  tenant_code               char(6) NOT NULL REFERENCES tenant (code),
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  auth_method               text NOT NULL CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')),
  secret_hash               bytea,                  -- SHA-256 of a 256-bit random secret
  jwks                      jsonb,                  -- public keys for private_key_jwt
  redirect_uris             text[] NOT NULL,
  post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
  backchannel_logout_uri    text,
  scopes                    text[] NOT NULL,
  grant_types               text[] NOT NULL,
  sector_identifier         text NOT NULL,
  public_subject            boolean NOT NULL DEFAULT false,
  id_token_alg              text NOT NULL DEFAULT 'RS256' CHECK (id_token_alg IN ('RS256', 'ES256')),
  created_at                timestamptz NOT NULL DEFAULT now(),
  CHECK ((auth_method IN ('client_secret_basic', 'client_secret_post')) = (secret_hash IS NOT NULL)),
  CHECK ((auth_method = 'private_key_jwt') = (jwks IS NOT NULL))
);
CREATE INDEX oidc_client_tenant ON oidc_client (tenant_code, created_at);

-- One authorization request, from the request through sign-in and consent to the code.
-- States: login -> consent -> done; login or consent -> denied. Transitions are checked by the
-- UPDATE's WHERE clause, so two nodes (or two tabs) cannot both move one flow.
CREATE TABLE oidc_flow (
  id              uuid PRIMARY KEY,
  client_id       text NOT NULL REFERENCES oidc_client (client_id) ON DELETE CASCADE,
  state           text NOT NULL CHECK (state IN ('login', 'consent', 'done', 'denied')),
  request         jsonb NOT NULL,
  binding_hash    bytea NOT NULL,                 -- SHA-256 of the cookie that ties the flow to one browser
  account_id      uuid REFERENCES account (id),
  sid             text,
  auth_time       timestamptz,
  acr             text,
  granted_scopes  text[],
  code_hash       bytea UNIQUE,
  code_expires_at timestamptz,
  code_used_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX oidc_flow_expires ON oidc_flow (expires_at);

-- What a code (or a client's credentials) granted; refresh tokens of one grant form a family.
CREATE TABLE oidc_grant (
  id          uuid PRIMARY KEY,                     -- the flow's id for authorization-code grants
  client_id   text NOT NULL REFERENCES oidc_client (client_id) ON DELETE CASCADE,
  account_id  uuid REFERENCES account (id),
  sid         text,
  scopes      text[] NOT NULL,
  auth_time   timestamptz,
  acr         text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX oidc_grant_sid ON oidc_grant (sid) WHERE sid IS NOT NULL AND revoked_at IS NULL;
CREATE INDEX oidc_grant_account ON oidc_grant (account_id, client_id);

CREATE TABLE oidc_refresh_token (
  token_hash  bytea PRIMARY KEY,
  grant_id    uuid NOT NULL REFERENCES oidc_grant (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX oidc_refresh_token_grant ON oidc_refresh_token (grant_id);

-- Scopes a citizen has agreed to give a service; asked again only for more, or with prompt=consent.
CREATE TABLE oidc_consent (
  account_id  uuid NOT NULL REFERENCES account (id),
  client_id   text NOT NULL REFERENCES oidc_client (client_id) ON DELETE CASCADE,
  scopes      text[] NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, client_id)
);

-- Access tokens revoked before they expire (RFC 7009), until they would have expired anyway.
CREATE TABLE oidc_revoked_token (
  jti         text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);

-- Back-channel logout tokens waiting for delivery, retried with backoff.
CREATE TABLE oidc_logout_delivery (
  id            bigserial PRIMARY KEY,
  client_id     text NOT NULL REFERENCES oidc_client (client_id) ON DELETE CASCADE,
  uri           text NOT NULL,
  logout_token  text NOT NULL,
  attempts      int NOT NULL DEFAULT 0,
  next_at       timestamptz NOT NULL DEFAULT now(),
  leased_until  timestamptz,
  delivered_at  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oidc_logout_delivery_due ON oidc_logout_delivery (next_at) WHERE delivered_at IS NULL;
