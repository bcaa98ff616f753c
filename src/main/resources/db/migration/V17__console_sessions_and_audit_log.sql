-- Issue 21 (admin console): sign-in sessions, OIDC logins under way, and the audit log of admin changes.
-- Plain CREATE TABLE with portable types: the same statements on SQLite and PostgreSQL.

-- A console session. The cookie holds a random token; only its SHA-256 is stored, so a copy of the database does not
-- hand out live sessions. Stored (not a signed stateless token) so that logout ends it on every instance at once.
CREATE TABLE console_sessions (
    token_hash  VARCHAR(64)  PRIMARY KEY,
    subject     VARCHAR(255) NOT NULL,
    name        VARCHAR(255) NOT NULL DEFAULT '',
    method      VARCHAR(16)  NOT NULL,
    roles       TEXT         NOT NULL DEFAULT '[]',
    csrf_token  VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL
);
CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);

-- An OIDC sign-in between the redirect to the provider and its callback (which may reach another instance).
CREATE TABLE console_oidc_logins (
    state_hash    VARCHAR(64)  PRIMARY KEY,
    nonce         VARCHAR(128) NOT NULL,
    code_verifier VARCHAR(128) NOT NULL,
    created_at    BIGINT       NOT NULL
);

-- One row per change made through the admin API (and so the console). created_at in milliseconds; before/after JSON
-- with secrets masked ('' when there is none: a create has no before, a delete no after).
CREATE TABLE audit_log (
    id            VARCHAR(36)  PRIMARY KEY,
    created_at    BIGINT       NOT NULL,
    subject       VARCHAR(255) NOT NULL,
    auth_method   VARCHAR(16)  NOT NULL,
    address       VARCHAR(64)  NOT NULL DEFAULT '',
    method        VARCHAR(8)   NOT NULL,
    path          TEXT         NOT NULL,
    resource_type VARCHAR(64)  NOT NULL DEFAULT '',
    resource_id   VARCHAR(255) NOT NULL DEFAULT '',
    status        INTEGER      NOT NULL,
    before_json   TEXT         NOT NULL DEFAULT '',
    after_json    TEXT         NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at, id);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, created_at);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id, created_at);
