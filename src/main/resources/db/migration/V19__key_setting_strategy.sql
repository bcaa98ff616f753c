-- A key's strategy among its several settings for one provider (issue 22): '' = none, the behaviour before
-- (first setting, or a random one with rotation_enabled); weights as JSON {settingId: weight}, '' = none.
-- Plain ALTER TABLE … ADD COLUMN with constant defaults: the same statements on SQLite and PostgreSQL.
ALTER TABLE keys ADD COLUMN setting_strategy VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE keys ADD COLUMN setting_weights TEXT NOT NULL DEFAULT '';
