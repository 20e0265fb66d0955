-- Life-stage programmes: messages staff write for a day in a pregnancy or a child's life
-- ("pregnancy week 20", "1 year 2 months"), sent to each citizen once, on that day.
CREATE TABLE life_stage_message (
  id          uuid PRIMARY KEY,
  tenant_code char(6) NOT NULL REFERENCES tenant(code),
  anchor      text NOT NULL CHECK (anchor IN ('due', 'birth')),
  months      int NOT NULL DEFAULT 0 CHECK (months BETWEEN 0 AND 216),
  days        int NOT NULL DEFAULT 0 CHECK (days BETWEEN -280 AND 366),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  url         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  summary     text NOT NULL DEFAULT '',
  created_by  uuid NOT NULL REFERENCES staff(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX life_stage_message_tenant ON life_stage_message (tenant_code) WHERE deleted_at IS NULL;

-- Who got which message for which due or birth date: the key that makes it once per child.
CREATE TABLE life_stage_sent (
  message_id  uuid NOT NULL REFERENCES life_stage_message(id) ON DELETE CASCADE,
  account_id  uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  anchor_date date NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, account_id, anchor_date)
);

ALTER TABLE notice DROP CONSTRAINT notice_kind_check;
ALTER TABLE notice ADD CONSTRAINT notice_kind_check CHECK (kind IN ('published', 'updated', 'withdrawn', 'staff', 'programme', 'personal'));
