-- Smart routing (issue 22). Routes: fallbacks by error class, budget fallback and whether a request may override a
-- group's strategy, as one JSON object (NULL = none of them). Target groups live in the steps JSON already.
ALTER TABLE routes ADD COLUMN routing TEXT;

-- Why a route attempt was made: initial, retry, failover, context_window_exceeded, content_policy, rate_limited or
-- budget ('' when the event is not a route attempt).
ALTER TABLE events ADD COLUMN attempt_reason VARCHAR(32) NOT NULL DEFAULT '';
