-- Municipal content: pages with their taxonomies, facilities, and the content change log that
-- every node's search index replays (and that the push of notices will consume).

-- Categories and departments of a municipality; a page names one of each (or none).
CREATE TABLE content_taxonomy (
  tenant_code char(6) NOT NULL REFERENCES tenant(code) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('category', 'department')),
  code        text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_en     text NOT NULL DEFAULT '' CHECK (length(name_en) <= 100),
  position    int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_code, kind, code)
);

CREATE TABLE content_page (
  id              uuid PRIMARY KEY,
  tenant_code     char(6) NOT NULL REFERENCES tenant(code),
  url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  body_html       text NOT NULL DEFAULT '',
  body_text       text NOT NULL DEFAULT '',
  category        text,
  category_kind   text GENERATED ALWAYS AS ('category') STORED,
  department      text,
  department_kind text GENERATED ALWAYS AS ('department') STORED,
  tags            text[] NOT NULL DEFAULT '{}',
  districts       text[] NOT NULL DEFAULT '{}',
  life_stages     text[] NOT NULL DEFAULT '{}' CHECK (life_stages <@ ARRAY['pregnancy','infant','preschool','school_age','youth','adult','senior']::text[]),
  language        text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
  source          text NOT NULL CHECK (source IN ('staff', 'cms', 'crawl', 'demo')),
  content_hash    text NOT NULL,
  published_at    timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  withdrawn_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_code, url),
  FOREIGN KEY (tenant_code, category_kind, category) REFERENCES content_taxonomy (tenant_code, kind, code),
  FOREIGN KEY (tenant_code, department_kind, department) REFERENCES content_taxonomy (tenant_code, kind, code)
);
CREATE INDEX content_page_tenant_updated ON content_page (tenant_code, updated_at DESC);

-- Facilities (nurseries, libraries, clinics, shelters …); a CSV import replaces a tenant's list.
CREATE TABLE facility (
  tenant_code    char(6) NOT NULL REFERENCES tenant(code),
  id             text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  name           text NOT NULL,
  type           text NOT NULL,
  latitude       double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude      double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  address        text NOT NULL DEFAULT '',
  capacity       int,
  min_age_months int,
  max_age_months int,
  opening_hours  text NOT NULL DEFAULT '',
  vacancies      int,
  district       text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_code, id)
);
CREATE INDEX facility_district ON facility (tenant_code, district);

-- The content event stream: one row per publish, substantive update, withdrawal or facility
-- import, written in the same transaction as the change. Writers take a transaction-level
-- advisory lock before they draw an id, so ids become visible in increasing order and a reader
-- that remembers the last id it applied never skips a row.
CREATE TABLE content_change (
  id          bigserial PRIMARY KEY,
  tenant_code char(6) NOT NULL REFERENCES tenant(code),
  kind        text NOT NULL CHECK (kind IN ('published', 'updated', 'withdrawn', 'facilities_replaced')),
  page_id     uuid REFERENCES content_page(id),
  at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'facilities_replaced') = (page_id IS NULL))
);

-- Rebuilds of the search index, one row per node and rebuild, so staff see the progress of every node.
CREATE TABLE search_rebuild (
  id           uuid PRIMARY KEY,
  request_id   uuid NOT NULL,
  node_id      text NOT NULL,
  requested_by uuid,
  started_at  timestamptz NOT NULL DEFAULT now(),
  total       bigint NOT NULL DEFAULT -1,
  done        bigint NOT NULL DEFAULT 0,
  sequence    bigint NOT NULL DEFAULT -1,
  finished_at timestamptz,
  error       text
);
CREATE INDEX search_rebuild_started ON search_rebuild (started_at DESC);
