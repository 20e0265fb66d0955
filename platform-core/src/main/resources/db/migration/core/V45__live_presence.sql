-- Who has a live inbox stream open, and on which node: lets the matcher write the notifications
-- of connected citizens first, in a small transaction, and send them live before the bulk write
-- of everyone else commits. Derived and short-lived (rebuilt as browsers reconnect), so unlogged;
-- a node refreshes its row while it runs, and a node gone quiet for 2 minutes is ignored (its rows
-- go when its row is purged).
CREATE UNLOGGED TABLE live_node (
  node_id text PRIMARY KEY,
  seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE live_presence (
  node_id    text NOT NULL REFERENCES live_node(node_id) ON DELETE CASCADE,
  account_id uuid NOT NULL,
  PRIMARY KEY (account_id, node_id)
);
CREATE INDEX live_presence_node ON live_presence (node_id);

-- Opened receipts: a push notification clicked (once per delivery).
ALTER TABLE delivery ADD COLUMN opened_at timestamptz;

-- Magic links to manage notices without signing in: stateless signed tokens, each usable once.
CREATE TABLE notice_manage_token_use (
  digest     bytea PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  used_at    timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX notice_manage_token_use_expiry ON notice_manage_token_use (expires_at);
