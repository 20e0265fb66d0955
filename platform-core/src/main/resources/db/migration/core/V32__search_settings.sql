-- A municipality's search settings: user dictionary (Kuromoji CSV) for local names, synonyms
-- (Solr format, applied at query time) and best bets ([{query, pageIds}]). A change of them is a
-- content_change row of its own kind, without a page, applied by every node's indexer in log order.

ALTER TABLE content_change DROP CONSTRAINT content_change_kind_check;
ALTER TABLE content_change ADD CONSTRAINT content_change_kind_check
  CHECK (kind IN ('published', 'updated', 'withdrawn', 'facilities_replaced', 'search_settings_changed'));
ALTER TABLE content_change DROP CONSTRAINT content_change_check;
ALTER TABLE content_change ADD CONSTRAINT content_change_page_check
  CHECK ((kind IN ('published', 'updated', 'withdrawn')) = (page_id IS NOT NULL));

CREATE TABLE search_settings (
  tenant_code     char(6) PRIMARY KEY REFERENCES tenant(code),
  user_dictionary text NOT NULL DEFAULT '',
  synonyms        text NOT NULL DEFAULT '',
  best_bets       jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
