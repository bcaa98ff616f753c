-- wrk script: POST an OpenAI chat completion (streaming when BENCH_STREAM=1) with the gateway key.
-- Direct and nginx targets ignore the Authorization header; every target gets the identical request.
-- BENCH_MODEL (default gpt-4o-mini): the model field, e.g. openai/gpt-4o-mini for the unified endpoint;
-- BENCH_BODY: another body altogether (e.g. an Anthropic Messages request), sent as it is.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "bench-secret")
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
if os.getenv("BENCH_BODY") then
  wrk.body = os.getenv("BENCH_BODY")
elseif os.getenv("BENCH_STREAM") == "1" then
  wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"hello"}],"stream":true}'
else
  wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"hello"}]}'
end
