-- Web Push (RFC 8030, VAPID RFC 8292, payload encryption RFC 8291) as a notice channel.

-- A browser's push subscription: the push service endpoint and the browser's keys (P-256 public
-- key and 16-byte authentication secret) that notices are encrypted to.
CREATE TABLE push_subscription (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  endpoint    text NOT NULL CHECK (length(endpoint) BETWEEN 8 AND 2000),
  p256dh      bytea NOT NULL CHECK (length(p256dh) = 65),
  auth        bytea NOT NULL CHECK (length(auth) = 16),
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  UNIQUE (account_id, endpoint)
);
CREATE INDEX push_subscription_account ON push_subscription (account_id) WHERE disabled_at IS NULL;

ALTER TABLE interest_profile DROP CONSTRAINT interest_profile_channels_check;
ALTER TABLE interest_profile ADD CONSTRAINT interest_profile_channels_check
  CHECK (channels <@ ARRAY['inbox', 'email', 'webhook', 'webpush']::text[]);
ALTER TABLE delivery DROP CONSTRAINT delivery_channel_check;
ALTER TABLE delivery ADD CONSTRAINT delivery_channel_check CHECK (channel IN ('email', 'webhook', 'webpush'));

CREATE OR REPLACE FUNCTION erase_delivery_data(account uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM notification WHERE account_id = account;
  DELETE FROM subscription WHERE account_id = account;
  DELETE FROM interest_profile WHERE account_id = account;
  DELETE FROM email_channel WHERE account_id = account;
  DELETE FROM webhook_endpoint WHERE account_id = account;
  DELETE FROM push_subscription WHERE account_id = account;
$$;
