-- Foundation: municipalities (tenants), staff, audit log, citizen accounts, mail outbox,
-- resident records and residence verification, guardianship.
-- E-mail addresses are stored lower-cased and trimmed (the application normalises them).


CREATE TABLE platform_secret (
  name        text PRIMARY KEY,
  value       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant (
  code        char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  prefecture  text NOT NULL CHECK (length(prefecture) BETWEEN 1 AND 20),
  branding    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE district (
  tenant_code char(6) NOT NULL REFERENCES tenant(code) ON DELETE CASCADE,
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
  kind        text NOT NULL CHECK (kind IN ('chome', 'school')),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_kana   text NOT NULL DEFAULT '',
  name_en     text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_code, code)
);

CREATE TABLE staff (
  id            uuid PRIMARY KEY,
  tenant_code   char(6) REFERENCES tenant(code),          -- NULL for platform operators
  email         text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  roles         text[] NOT NULL CHECK (roles <@ ARRAY['platform_operator','tenant_admin','editor','resident_clerk','auditor']::text[] AND cardinality(roles) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz,
  CHECK ((tenant_code IS NULL) = ('platform_operator' = ANY(roles)))
);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  tenant_code char(6),
  actor_id    uuid,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'citizen', 'system')),
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_code, at DESC);

CREATE TABLE account (
  id                uuid PRIMARY KEY,
  email             text UNIQUE,                          -- NULL once the account is deleted
  email_verified_at timestamptz,
  password_hash     text,
  display_name      text,
  locale            text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  security_stamp    int NOT NULL DEFAULT 0,              -- raised when credentials change; ends other sessions
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz
);

-- One-time tokens sent by mail: e-mail verification, password reset, e-mail change.
CREATE TABLE mail_token (
  token_hash  bytea PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
  new_email   text,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_token_account ON mail_token (account_id, purpose);

CREATE TABLE mail_outbox (
  id          bigserial PRIMARY KEY,
  to_address  text NOT NULL,
  subject     text NOT NULL,
  body_text   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  attempts    int NOT NULL DEFAULT 0,
  next_try_at timestamptz NOT NULL DEFAULT now(),
  last_error  text
);
CREATE INDEX mail_outbox_pending ON mail_outbox (next_try_at) WHERE sent_at IS NULL;

CREATE TABLE resident_record (
  id            uuid PRIMARY KEY,
  tenant_code   char(6) NOT NULL REFERENCES tenant(code),
  family_name   text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
  given_name    text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_kana   text NOT NULL CHECK (length(family_kana) BETWEEN 1 AND 100),
  given_kana    text NOT NULL CHECK (length(given_kana) BETWEEN 1 AND 100),
  birth_date    date NOT NULL,
  district_code text NOT NULL,
  household_id  text NOT NULL CHECK (length(household_id) BETWEEN 1 AND 60),
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_code, district_code) REFERENCES district(tenant_code, code)
);
CREATE INDEX resident_record_household ON resident_record (tenant_code, household_id);

CREATE TABLE residence_code (
  id          uuid PRIMARY KEY,
  tenant_code char(6) NOT NULL REFERENCES tenant(code),
  record_id   uuid NOT NULL REFERENCES resident_record(id),
  code_hash   bytea NOT NULL UNIQUE,
  issued_by   uuid NOT NULL REFERENCES staff(id),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     uuid REFERENCES account(id),
  revoked_at  timestamptz
);
CREATE INDEX residence_code_record ON residence_code (record_id);

-- Residence of an account; history kept so that a citizen can move and keep the account.
CREATE TABLE residence (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  tenant_code char(6) NOT NULL REFERENCES tenant(code),
  record_id   uuid NOT NULL REFERENCES resident_record(id),
  verified_at timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);
CREATE UNIQUE INDEX residence_current_account ON residence (account_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX residence_current_record ON residence (record_id) WHERE ended_at IS NULL;

CREATE TABLE guardianship (
  guardian_id     uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  child_record_id uuid NOT NULL REFERENCES resident_record(id),
  claimed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (guardian_id, child_record_id)
);
