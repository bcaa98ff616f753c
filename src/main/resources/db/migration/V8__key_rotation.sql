-- Key rotation (issue 19.6): a rotated key keeps its previous secret until a grace period ends.
-- previous_secret is the SHA-256 hex of the secret the key had before its last rotation (NULL when there is none
-- or the grace period was 0); only one previous secret is kept, so rotating again replaces it.
-- previous_secret_expires_at and rotated_at are Unix seconds like created_at; 0 = never rotated.
-- Plain ALTER TABLE … ADD COLUMN with constant defaults: the same statements on SQLite and PostgreSQL.
ALTER TABLE keys ADD COLUMN previous_secret VARCHAR(64);
ALTER TABLE keys ADD COLUMN previous_secret_expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN rotated_at BIGINT NOT NULL DEFAULT 0;
