-- Neighbourhood associations (町会・自治会) and their circulars (回覧板).

CREATE TABLE association (
  id            uuid PRIMARY KEY,
  tenant_code   char(6) NOT NULL REFERENCES tenant(code),
  district_code text NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_code, district_code) REFERENCES district(tenant_code, code)
);

CREATE TABLE association_officer (
  association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
  account_id     uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  title          text NOT NULL DEFAULT '役員',
  PRIMARY KEY (association_id, account_id)
);

-- A household of the association's roll, whether or not anyone in it uses the platform.
CREATE TABLE association_household (
  id                uuid PRIMARY KEY,
  association_id    uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
  label             text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  address_block     text NOT NULL CHECK (length(address_block) BETWEEN 1 AND 200),
  invitation_hash   bytea UNIQUE,
  invitation_expires_at timestamptz,
  UNIQUE (association_id, label)
);

-- The citizen account that receives circulars for a household (one digital member at a time).
CREATE TABLE association_member (
  household_id   uuid NOT NULL REFERENCES association_household(id) ON DELETE CASCADE,
  association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
  account_id     uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  joined_at      timestamptz NOT NULL DEFAULT now(),
  left_at        timestamptz
);
CREATE UNIQUE INDEX association_member_current_household ON association_member (household_id) WHERE left_at IS NULL;
CREATE UNIQUE INDEX association_member_current_account ON association_member (association_id, account_id) WHERE left_at IS NULL;

CREATE TABLE circular (
  id             uuid PRIMARY KEY,
  association_id uuid NOT NULL REFERENCES association(id) ON DELETE CASCADE,
  title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body           text NOT NULL CHECK (length(body) <= 20000),
  question       text,
  choices        text[],
  deadline       timestamptz,
  sent_by        uuid,
  sent_by_kind   text NOT NULL CHECK (sent_by_kind IN ('officer', 'city')),
  sent_at        timestamptz NOT NULL DEFAULT now(),
  recipients     int NOT NULL,
  CHECK ((question IS NULL) = (choices IS NULL))
);
CREATE INDEX circular_association ON circular (association_id, sent_at DESC);
CREATE INDEX circular_search ON circular USING gin (to_tsvector('simple', title || ' ' || body));

-- One row per recipient household, written when the circular is sent: read and answer receipts.
CREATE TABLE circular_receipt (
  circular_id  uuid NOT NULL REFERENCES circular(id) ON DELETE CASCADE,
  household_id uuid NOT NULL REFERENCES association_household(id) ON DELETE CASCADE,
  account_id   uuid NOT NULL,
  read_at      timestamptz,
  answer       text,
  answered_at  timestamptz,
  PRIMARY KEY (circular_id, household_id)
);
CREATE INDEX circular_receipt_account ON circular_receipt (account_id, circular_id);
