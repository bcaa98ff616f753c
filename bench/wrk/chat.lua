-- wrk script: POST an OpenAI chat completion (streaming when BENCH_STREAM=1) with the gateway key.
-- Direct and nginx targets ignore the Authorization header; every target gets the identical request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "bench-secret")
if os.getenv("BENCH_STREAM") == "1" then
  wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}],"stream":true}'
else
  wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
end
