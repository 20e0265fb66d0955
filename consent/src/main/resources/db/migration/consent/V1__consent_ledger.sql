-- Consent ledger: service declarations (notices), consent records and their state history,
-- issued receipts, the hash-chained access log and the Security Event Token outbox.
-- Citizens, services and tenants are opaque identifiers owned by other modules: no foreign keys
-- leave this schema.

CREATE SCHEMA IF NOT EXISTS consent;

-- What a service asks of citizens in one tenant, one row per notice version. Immutable once
-- published; a new notice is a new version.
CREATE TABLE consent.service_declaration (
    tenant_id       text        NOT NULL,
    service_id      text        NOT NULL,
    notice_version  integer     NOT NULL CHECK (notice_version > 0),
    notice_ja       text        NOT NULL,
    notice_en       text        NOT NULL,
    items           jsonb       NOT NULL,
    purposes        jsonb       NOT NULL,
    audience        text        NOT NULL,
    set_endpoint    text,
    published_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, service_id, notice_version)
);

-- One consent record per (citizen, service, notice version) decision. record_no orders the
-- records of one link; the latest is the one in force.
CREATE TABLE consent.consent_record (
    id                uuid        PRIMARY KEY,
    record_no         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant_id         text        NOT NULL,
    citizen_id        text        NOT NULL,
    service_id        text        NOT NULL,
    notice_version    integer     NOT NULL,
    items             text[]      NOT NULL,
    purposes          text[]      NOT NULL,
    state             text        NOT NULL
        CHECK (state IN ('given', 'refused', 'withdrawn', 'expired', 'superseded')),
    version           integer     NOT NULL CHECK (version > 0),
    actor_kind        text        NOT NULL CHECK (actor_kind IN ('citizen', 'guardian', 'staff_assisted')),
    actor_id          text        NOT NULL,
    channel           text        NOT NULL,
    evidence_ref      text,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz,
    state_changed_at  timestamptz NOT NULL,
    superseded_by     uuid
);

-- At most one live (given or refused) record per link.
CREATE UNIQUE INDEX consent_record_one_live
    ON consent.consent_record (tenant_id, citizen_id, service_id)
    WHERE state IN ('given', 'refused');
CREATE INDEX consent_record_link ON consent.consent_record (tenant_id, citizen_id, service_id, record_no DESC);
CREATE INDEX consent_record_citizen ON consent.consent_record (citizen_id, record_no DESC);
CREATE INDEX consent_record_expiry ON consent.consent_record (expires_at) WHERE state = 'given';

-- Every state change of a record, in order: the ledger's history.
CREATE TABLE consent.consent_event (
    id              uuid        PRIMARY KEY,
    record_id       uuid        NOT NULL REFERENCES consent.consent_record (id),
    record_version  integer     NOT NULL,
    from_state      text,
    to_state        text        NOT NULL,
    actor_kind      text        NOT NULL,
    actor_id        text        NOT NULL,
    channel         text        NOT NULL,
    evidence_ref    text,
    occurred_at     timestamptz NOT NULL,
    UNIQUE (record_id, record_version)
);

-- Receipts handed to citizens; a receipt names the record version it describes.
CREATE TABLE consent.receipt (
    jti             uuid        PRIMARY KEY,
    record_id       uuid        NOT NULL REFERENCES consent.consent_record (id),
    record_version  integer     NOT NULL,
    issued_at       timestamptz NOT NULL
);

-- One-time presentations of receipts (replay protection).
CREATE TABLE consent.receipt_presentation (
    jti             uuid        PRIMARY KEY,
    presented_at    timestamptz NOT NULL
);

-- "Who read my data": one hash chain per citizen. seq starts at 1; prev_hash of the first entry
-- is 32 zero bytes; entry_hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE consent.access_log (
    citizen_id   text        NOT NULL,
    seq          bigint      NOT NULL CHECK (seq > 0),
    tenant_id    text        NOT NULL,
    service_id   text        NOT NULL,
    access_kind  text        NOT NULL CHECK (access_kind IN ('read', 'push')),
    items        text[]      NOT NULL,
    purpose      text        NOT NULL,
    consent_id   uuid,
    occurred_at  timestamptz NOT NULL,
    prev_hash    bytea       NOT NULL,
    entry_hash   bytea       NOT NULL,
    PRIMARY KEY (citizen_id, seq)
);

-- The head of each citizen's chain; appends lock this row, so appends for one citizen are
-- serialised and appends for different citizens never contend.
CREATE TABLE consent.access_log_head (
    citizen_id  text    PRIMARY KEY,
    seq         bigint  NOT NULL,
    head_hash   bytea   NOT NULL
);

-- Security Event Tokens (RFC 8417) waiting for delivery to a service's receiver.
CREATE TABLE consent.set_outbox (
    id               uuid        PRIMARY KEY,
    jti              uuid        NOT NULL UNIQUE,
    tenant_id        text        NOT NULL,
    service_id       text        NOT NULL,
    consent_id       uuid        NOT NULL,
    endpoint         text,
    set_jws          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'no_endpoint')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz
);
CREATE INDEX set_outbox_due ON consent.set_outbox (next_attempt_at) WHERE status = 'pending';
