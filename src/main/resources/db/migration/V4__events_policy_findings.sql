-- Which policy entities and rules fired on a request (names only, never the matched values).
ALTER TABLE events ADD COLUMN policy_findings TEXT NOT NULL DEFAULT '';
