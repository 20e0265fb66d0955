-- Pages that vanish from a sitemap are withdrawn by the crawler: each run counts them.
ALTER TABLE crawl_run ADD COLUMN withdrawn int NOT NULL DEFAULT 0;
