-- Platform secrets are sealed with the configured key-encryption key (security.keyEncryptionKey),
-- as private signing keys are; rows written before one was configured are sealed on first read.
ALTER TABLE platform_secret ADD COLUMN IF NOT EXISTS sealed boolean NOT NULL DEFAULT false;
