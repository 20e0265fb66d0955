-- Notices that staff compose for a segment of citizens (interests, districts, life stages), with a
-- reach preview, a sending time and cancellation before it goes.
CREATE TABLE staff_notice (
  id           uuid PRIMARY KEY,
  tenant_code  char(6) NOT NULL REFERENCES tenant(code),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  url          text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  summary      text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  categories   text[] NOT NULL DEFAULT '{}',
  districts    text[] NOT NULL DEFAULT '{}',
  life_stages  text[] NOT NULL DEFAULT '{}',
  send_at      timestamptz NOT NULL,
  created_by   uuid NOT NULL REFERENCES staff(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  sent_at      timestamptz,
  notice_id    bigint REFERENCES notice(id) ON DELETE SET NULL,
  CHECK (cancelled_at IS NULL OR sent_at IS NULL)
);
CREATE INDEX staff_notice_due ON staff_notice (send_at) WHERE sent_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX staff_notice_tenant ON staff_notice (tenant_code, created_at DESC);

ALTER TABLE notice DROP CONSTRAINT notice_kind_check;
ALTER TABLE notice ADD CONSTRAINT notice_kind_check CHECK (kind IN ('published', 'updated', 'withdrawn', 'staff'));
