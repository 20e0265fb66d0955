-- Files attached to circulars (PDF and images), kept in PostgreSQL with the circular.
CREATE TABLE circular_attachment (
  id           uuid PRIMARY KEY,
  circular_id  uuid NOT NULL REFERENCES circular(id) ON DELETE CASCADE,
  filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes   int NOT NULL CHECK (size_bytes > 0),
  sha256       bytea NOT NULL,
  content      bytea NOT NULL,
  added_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX circular_attachment_circular ON circular_attachment (circular_id);
