-- Most events carry no custom id and no end-user id (''): partial indexes leave those rows out, so storing an
-- event touches two B-trees fewer (the event writer's cost per row fell by about a third in
-- EventPipelineThroughput). Queries that filter on these columns add "<> ''" so both databases can use them.
DROP INDEX events_custom_id_idx;
CREATE INDEX events_custom_id_idx ON events (custom_id) WHERE custom_id <> '';
DROP INDEX events_user_id_idx;
CREATE INDEX events_user_id_idx ON events (user_id) WHERE user_id <> '';
