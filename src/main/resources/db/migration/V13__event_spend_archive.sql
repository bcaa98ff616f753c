-- Spend of events removed by retention (issue 20.3): the events table is the durable ledger budgets are rebuilt from
-- (SpendSeed, UserSpendSeed); retention moves each deleted batch's cost here, in the batch's transaction, so a key's,
-- team's or end user's lifetime spend never changes because old events went. owner_kind: 'key', 'team' or 'user';
-- cost_micros: Σ of each event's cost rounded to micro-dollars (what the seeds sum, so totals are exact whatever the
-- order of the sum); for 'user', tags holds the key's tags of the events (JSON), which attribute a user id to one end user (§5.7).
CREATE TABLE event_spend_archive (
    owner_kind  VARCHAR(8)       NOT NULL,
    owner       VARCHAR(255)     NOT NULL,
    tags        TEXT             NOT NULL DEFAULT '',
    cost_micros BIGINT           NOT NULL DEFAULT 0,
    events      BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_kind, owner, tags)
);
