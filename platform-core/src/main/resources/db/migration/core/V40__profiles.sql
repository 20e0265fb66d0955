-- Interest profiles and subscriptions of citizens. Personal data: read by the citizen and the
-- delivery pipeline only; staff read counts.

-- One profile per citizen, in the municipality whose updates it describes (usually where they live).
CREATE TABLE interest_profile (
  account_id        uuid PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
  tenant_code       char(6) NOT NULL REFERENCES tenant(code),
  interests         text[] NOT NULL DEFAULT '{}',      -- category codes of the tenant's taxonomy
  home_district     text,
  work_district     text,
  school_districts  text[] NOT NULL DEFAULT '{}',
  districts         text[] GENERATED ALWAYS AS (array_remove(ARRAY[home_district, work_district], NULL) || school_districts) STORED,
  due_date          date,
  child_birth_dates date[] NOT NULL DEFAULT '{}',
  language          text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
  channels          text[] NOT NULL DEFAULT '{inbox}' CHECK (channels <@ ARRAY['inbox', 'email', 'webhook']::text[]),
  quiet_start       time,
  quiet_end         time,
  frequency         smallint NOT NULL DEFAULT 0 CHECK (frequency BETWEEN 0 AND 2),  -- 0 immediate, 1 daily, 2 weekly
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);
CREATE INDEX interest_profile_interests ON interest_profile USING gin (interests);
CREATE INDEX interest_profile_tenant ON interest_profile (tenant_code);

-- Life stages of a household on a day: pregnancy until the due date, then by each child's age.
-- The same rules as profile/LifeStages.java; adults always.
CREATE FUNCTION life_stages(due date, births date[], today date) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT s FROM (
      SELECT 'pregnancy' AS s WHERE due IS NOT NULL AND due >= today
      UNION ALL
      SELECT CASE WHEN age < 1 THEN 'infant' WHEN age < 6 THEN 'preschool' WHEN age < 12 THEN 'school_age'
                  WHEN age < 18 THEN 'youth' END
        FROM (SELECT extract(year FROM age(today, b))::int AS age FROM unnest(births) AS b WHERE b <= today) ages
      UNION ALL
      SELECT 'adult') stages WHERE s IS NOT NULL ORDER BY s)
$$;

-- Subscriptions: to categories and tags (any or all of them), to a saved search, to one page,
-- or to every update of a municipality (one's own or another). version orders changes of saved
-- searches, which every node's matcher replays; a removed subscription keeps its row (deleted_at)
-- until the retention purge so that the replay sees the removal.
CREATE SEQUENCE subscription_version;
CREATE TABLE subscription (
  id             uuid PRIMARY KEY,
  account_id     uuid NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  tenant_code    char(6) NOT NULL REFERENCES tenant(code),
  kind           text NOT NULL CHECK (kind IN ('topics', 'search', 'page', 'tenant')),
  categories     text[] NOT NULL DEFAULT '{}',
  tags           text[] NOT NULL DEFAULT '{}',
  match_all      boolean NOT NULL DEFAULT false,
  search_text    text,
  search_filters jsonb,
  page_id        uuid REFERENCES content_page(id),
  frequency      smallint NOT NULL DEFAULT 0 CHECK (frequency BETWEEN 0 AND 2),
  created_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  version        bigint NOT NULL DEFAULT nextval('subscription_version'),
  CHECK (kind <> 'topics' OR cardinality(categories) + cardinality(tags) > 0),
  CHECK ((kind = 'page') = (page_id IS NOT NULL)),
  CHECK ((kind = 'search') = (search_text IS NOT NULL))
);
CREATE INDEX subscription_account ON subscription (account_id) WHERE deleted_at IS NULL;
CREATE INDEX subscription_categories ON subscription USING gin (categories) WHERE deleted_at IS NULL AND kind = 'topics';
CREATE INDEX subscription_tags ON subscription USING gin (tags) WHERE deleted_at IS NULL AND kind = 'topics';
CREATE INDEX subscription_page ON subscription (page_id) WHERE deleted_at IS NULL AND kind = 'page';
CREATE INDEX subscription_tenant ON subscription (tenant_code, kind) WHERE deleted_at IS NULL;
CREATE INDEX subscription_search_version ON subscription (version) WHERE kind = 'search';
