-- The crawler: per-municipality sources (a sitemap.xml or an RSS/Atom feed) crawled on a schedule.
-- A node takes a due source under a lease (FOR UPDATE SKIP LOCKED), so one node crawls it at a time.

CREATE TABLE crawl_source (
  id               uuid PRIMARY KEY,
  tenant_code      char(6) NOT NULL REFERENCES tenant(code),
  kind             text NOT NULL CHECK (kind IN ('sitemap', 'feed')),
  url              text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  interval_minutes int NOT NULL DEFAULT 60 CHECK (interval_minutes BETWEEN 5 AND 10080),
  category         text,
  category_kind    text GENERATED ALWAYS AS ('category') STORED,
  enabled          boolean NOT NULL DEFAULT true,
  next_run_at      timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  leased_by        text,
  etag             text,
  last_modified    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_code, url),
  FOREIGN KEY (tenant_code, category_kind, category) REFERENCES content_taxonomy (tenant_code, kind, code)
);
CREATE INDEX crawl_source_due ON crawl_source (next_run_at) WHERE enabled;

-- Validators of every page a source led to, for conditional GET on the next run.
CREATE TABLE crawl_page_state (
  source_id     uuid NOT NULL REFERENCES crawl_source(id) ON DELETE CASCADE,
  url           text NOT NULL,
  etag          text,
  last_modified text,
  fetched_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, url)
);

-- One row per run, with what was skipped and why: the report staff read.
CREATE TABLE crawl_run (
  id          uuid PRIMARY KEY,
  source_id   uuid NOT NULL REFERENCES crawl_source(id) ON DELETE CASCADE,
  node_id     text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'not_modified', 'failed')),
  published   int NOT NULL DEFAULT 0,
  updated     int NOT NULL DEFAULT 0,
  unchanged   int NOT NULL DEFAULT 0,
  skipped     int NOT NULL DEFAULT 0,
  report      jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX crawl_run_source ON crawl_run (source_id, started_at DESC);
