-- Delivery of municipal updates: notices, each citizen's notifications (the inbox), and the outbox
-- of the other channels. The matcher reads content_change from its checkpoint and writes a
-- change's notice, notifications and deliveries in the transaction that moves the checkpoint,
-- so a crash replays the change and the unique keys keep every citizen's copy single.

CREATE TABLE notify_matcher (
  id             int PRIMARY KEY CHECK (id = 1),
  last_change_id bigint NOT NULL,
  lease_owner    text,
  lease_until    timestamptz
);
INSERT INTO notify_matcher (id, last_change_id) VALUES (1, 0);

-- What the city told: one per content change that reached at least one citizen.
CREATE TABLE notice (
  id          bigserial PRIMARY KEY,
  tenant_code char(6) NOT NULL REFERENCES tenant(code),
  change_id   bigint UNIQUE REFERENCES content_change(id),
  kind        text NOT NULL CHECK (kind IN ('published', 'updated', 'withdrawn')),
  page_id     uuid REFERENCES content_page(id),
  title       text NOT NULL,
  url         text NOT NULL,
  summary     text NOT NULL DEFAULT '',
  recipients  int NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notice_page ON notice (page_id);
CREATE INDEX notice_created ON notice (created_at);

-- A citizen's copy of a notice (the inbox); frequency is the most urgent of the matches.
CREATE TABLE notification (
  id         bigserial PRIMARY KEY,
  notice_id  bigint NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  frequency  smallint NOT NULL CHECK (frequency BETWEEN 0 AND 2),
  reasons    text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz,
  UNIQUE (notice_id, account_id)
);
CREATE INDEX notification_inbox ON notification (account_id, id DESC);
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;

-- Per-notice counters, kept by the writers (no aggregate queries over notification or delivery).
CREATE TABLE notice_stats (
  notice_id bigint NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
  channel   text NOT NULL,
  queued    int NOT NULL DEFAULT 0,
  sent      int NOT NULL DEFAULT 0,
  failed    int NOT NULL DEFAULT 0,
  opened    int NOT NULL DEFAULT 0,
  PRIMARY KEY (notice_id, channel)
);

-- The e-mail channel of a citizen: double opt-in (a mailed token confirms it), stopped by
-- unsubscribing, a hard bounce or a complaint.
CREATE TABLE email_channel (
  account_id     uuid PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
  address        text NOT NULL,
  confirm_digest bytea,
  requested_at   timestamptz NOT NULL DEFAULT now(),
  confirmed_at   timestamptz,
  stopped_at     timestamptz,
  stop_reason    text CHECK (stop_reason IN ('unsubscribed', 'hard_bounce', 'complaint'))
);
CREATE INDEX email_channel_address ON email_channel (lower(address));
CREATE INDEX email_channel_confirm ON email_channel (confirm_digest) WHERE confirm_digest IS NOT NULL;

-- Webhook endpoints of chat-app relays (a LINE official account bridge and the like). The secret
-- signs every delivery (HMAC-SHA256); it is shown to the citizen once, when created.
CREATE TABLE webhook_endpoint (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  url         text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
  secret      bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE INDEX webhook_endpoint_account ON webhook_endpoint (account_id) WHERE disabled_at IS NULL;

-- The outbox of the e-mail and webhook channels: one row per notification and channel.
CREATE TABLE delivery (
  id              bigserial PRIMARY KEY,
  notification_id bigint NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
  notice_id       bigint NOT NULL,
  account_id      uuid NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'webhook')),
  due_at          timestamptz NOT NULL,
  next_try_at     timestamptz NOT NULL,
  attempts        int NOT NULL DEFAULT 0,
  sent_at         timestamptz,
  failed_at       timestamptz,
  last_error      text,
  UNIQUE (notification_id, channel)
);
CREATE INDEX delivery_due ON delivery (channel, next_try_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX delivery_notice ON delivery (notice_id);

-- When a delivery of the given frequency (0 immediate, 1 daily digest at 08:00 JST, 2 weekly on
-- Monday 08:00 JST) is due, moved out of the quiet hours (JST; may wrap past midnight).
CREATE FUNCTION delivery_due(freq smallint, quiet_start time, quiet_end time, at timestamptz) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  local timestamp := at AT TIME ZONE 'Asia/Tokyo';
  d date := local::date;
  t time := local::time;
  ahead int;
  due timestamp;
  tt time;
BEGIN
  IF freq = 1 THEN
    due := (d + CASE WHEN t < time '08:00' THEN 0 ELSE 1 END) + time '08:00';
  ELSIF freq = 2 THEN
    ahead := (8 - extract(isodow FROM d)::int) % 7;
    IF ahead = 0 AND t >= time '08:00' THEN
      ahead := 7;
    END IF;
    due := (d + ahead) + time '08:00';
  ELSE
    due := local;
  END IF;
  IF quiet_start IS NOT NULL THEN
    tt := due::time;
    IF (quiet_start < quiet_end AND tt >= quiet_start AND tt < quiet_end)
       OR (quiet_start > quiet_end AND (tt >= quiet_start OR tt < quiet_end)) THEN
      due := (due::date + CASE WHEN tt < quiet_end THEN 0 ELSE 1 END) + quiet_end;
    END IF;
  END IF;
  RETURN due AT TIME ZONE 'Asia/Tokyo';
END
$$;

-- Erases a citizen's delivery data (account deletion).
CREATE FUNCTION erase_delivery_data(account uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM notification WHERE account_id = account;
  DELETE FROM subscription WHERE account_id = account;
  DELETE FROM interest_profile WHERE account_id = account;
  DELETE FROM email_channel WHERE account_id = account;
  DELETE FROM webhook_endpoint WHERE account_id = account;
$$;

-- Mail headers (List-Unsubscribe and List-Unsubscribe-Post for notices, RFC 8058).
ALTER TABLE mail_outbox ADD COLUMN headers jsonb;
