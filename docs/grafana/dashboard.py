#!/usr/bin/env python3
"""Writes bricksllm-dashboard.json beside this file: the Grafana dashboard of the gateway's Prometheus metrics.
Edit the panels here, run `python3 docs/grafana/dashboard.py`, commit both files (GrafanaDashboardTest checks that
every metric the JSON queries is one the gateway exports)."""
import json, os

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance"'
RI = "$__rate_interval"
panels, ids, y = [], iter(range(1, 1000)), [0]


def row(title):
    panels.append({"type": "row", "title": title, "id": next(ids), "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y[0]}, "panels": []})
    y[0] += 1


def place(w, h, x):
    return {"h": h, "w": w, "x": x, "y": y[0]}


def ts(title, targets, unit="short", x=0, w=12, h=8, stack=False, desc=""):
    panels.append({
        "type": "timeseries", "title": title, "id": next(ids), "datasource": DS, "description": desc,
        "gridPos": place(w, h, x),
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"lineWidth": 1, "fillOpacity": 10,
                                                               "stacking": {"mode": "normal" if stack else "none"}}},
                        "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "right", "calcs": ["mean", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"datasource": DS, "expr": e, "legendFormat": l, "refId": chr(65 + i)} for i, (e, l) in enumerate(targets)],
    })


def stat(title, expr, unit="short", x=0, w=4, h=4, thresholds=None, desc=""):
    steps = thresholds or [{"color": "green", "value": None}]
    panels.append({
        "type": "stat", "title": title, "id": next(ids), "datasource": DS, "description": desc, "gridPos": place(w, h, x),
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}}, "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, "colorMode": "value",
                    "graphMode": "area", "textMode": "auto"},
        "targets": [{"datasource": DS, "expr": expr, "refId": "A", "instant": True}],
    })


def bars(title, expr, legend, unit="short", x=0, w=12, h=8, desc=""):
    panels.append({
        "type": "bargauge", "title": title, "id": next(ids), "datasource": DS, "description": desc, "gridPos": place(w, h, x),
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": [{"color": "blue", "value": None}]}},
                        "overrides": []},
        "options": {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
        "targets": [{"datasource": DS, "expr": expr, "legendFormat": legend, "refId": "A", "instant": True}],
    })


def next_row(h):
    y[0] += h


# ---- overview
row("Overview")
red = [{"color": "green", "value": None}, {"color": "orange", "value": 1}, {"color": "red", "value": 5}]
stat("Requests / s", f'sum(rate(bricksllm_proxy_requests_total{{{SEL}}}[{RI}]))', "reqps", x=0)
stat("Error rate (5xx)", f'100 * (sum(rate(bricksllm_proxy_requests_total{{{SEL},status=~"5.."}}[{RI}])) or vector(0)) '
     f'/ clamp_min(sum(rate(bricksllm_proxy_requests_total{{{SEL}}}[{RI}])), 1e-9)', "percent", x=4, thresholds=red)
stat("Refused (%)", f'100 * (sum(rate(bricksllm_proxy_refusals_total{{{SEL}}}[{RI}])) or vector(0)) '
     f'/ clamp_min(sum(rate(bricksllm_proxy_requests_total{{{SEL}}}[{RI}])), 1e-9)', "percent", x=8)
stat("p99 latency", f'histogram_quantile(0.99, sum by (le) (rate(bricksllm_proxy_latency_seconds_bucket{{{SEL}}}[{RI}])))', "s", x=12)
stat("Spend in range (USD)", f'sum(increase(bricksllm_proxy_cost_usd_total{{{SEL}}}[$__range]))', "currencyUSD", x=16)
stat("Limit store down", f'max(bricksllm_limits_store_down{{{SEL}}}) or vector(0)', "bool_on_off", x=20,
     thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}],
     desc="1 when an instance cannot reach Redis (the shared counter store); the failure policies decide what is admitted")
next_row(4)

# ---- traffic
row("Traffic")
ts("Requests / s by status", [(f'sum by (status) (rate(bricksllm_proxy_requests_total{{{SEL},provider=~"$provider"}}[{RI}]))', "{{status}}")],
   "reqps", x=0, stack=True)
ts("Requests / s by provider and model", [(f'sum by (provider, model) (rate(bricksllm_proxy_requests_total{{{SEL},provider=~"$provider"}}[{RI}]))',
                                            "{{provider}} {{model}}")], "reqps", x=12, stack=True)
next_row(8)

# ---- latency
row("Latency")
ts("Latency percentiles (gateway included)",
   [(f'histogram_quantile({q}, sum by (le) (rate(bricksllm_proxy_latency_seconds_bucket{{{SEL},provider=~"$provider"}}[{RI}])))', f"p{int(q * 100)}")
    for q in (0.5, 0.9, 0.99)], "s", x=0)
ts("Upstream latency p50 / p99 by provider",
   [(f'histogram_quantile({q}, sum by (le, provider) (rate(bricksllm_proxy_upstream_latency_seconds_bucket{{{SEL},provider=~"$provider"}}[{RI}])))',
     f"{{{{provider}}}} p{int(q * 100)}") for q in (0.5, 0.99)], "s", x=12)
next_row(8)

# ---- errors and refusals
row("Errors and refusals")
ts("Refusals / s by reason", [(f'sum by (reason) (rate(bricksllm_proxy_refusals_total{{{SEL},provider=~"$provider"}}[{RI}]))', "{{reason}}")],
   "reqps", x=0, w=8, stack=True, desc="Requests the gateway answered itself: rate_limited, over_budget, token_limited, "
   "concurrency_limited, blocked by a policy, unauthorized, upstream_unreachable/timeout ...")
ts("Upstream failures / s", [(f'sum by (provider, reason) (rate(bricksllm_proxy_upstream_errors_total{{{SEL}}}[{RI}]))', "{{provider}} {{reason}}")],
   "reqps", x=8, w=8)
ts("Client aborts / s", [(f'sum by (provider) (rate(bricksllm_proxy_client_aborts_total{{{SEL}}}[{RI}]))', "{{provider}}")], "reqps", x=16, w=8)
next_row(8)

# ---- tokens and cost
row("Tokens and cost")
ts("Tokens / s by provider, model and type",
   [(f'sum by (provider, model, type) (rate(bricksllm_proxy_tokens_total{{{SEL},provider=~"$provider"}}[{RI}]))', "{{provider}} {{model}} {{type}}")],
   "short", x=0, stack=True)
ts("Cost per hour by provider and model (USD)",
   [(f'sum by (provider, model) (rate(bricksllm_proxy_cost_usd_total{{{SEL},provider=~"$provider"}}[{RI}])) * 3600', "{{provider}} {{model}}")],
   "currencyUSD", x=12, stack=True)
next_row(8)
bars("Top 10 keys by cost in range (USD)", f'topk(10, sum by (key_id) (increase(bricksllm_key_cost_usd_total{{{SEL}}}[$__range])))',
     "{{key_id}}", "currencyUSD", x=0, w=8)
bars("Teams by cost in range (USD)", f'topk(10, sum by (team_id) (increase(bricksllm_key_cost_usd_total{{{SEL}}}[$__range])))',
     "{{team_id}}", "currencyUSD", x=8, w=8, desc="team_id none: keys in no team")
bars("Top 10 keys by tokens in range", f'topk(10, sum by (key_id) (increase(bricksllm_key_tokens_total{{{SEL}}}[$__range])))',
     "{{key_id}}", "short", x=16, w=8)
next_row(8)
ts("Requests / s by key (top 10)",
   [(f'topk(10, sum by (key_id) (rate(bricksllm_key_requests_total{{{SEL}}}[{RI}])))', "{{key_id}}")], "reqps", x=0)
ts("Unpriced requests and usage anomalies / s",
   [(f'sum by (provider, model) (rate(bricksllm_proxy_unpriced_total{{{SEL}}}[{RI}]))', "unpriced {{provider}} {{model}}"),
    (f'sum by (provider) (rate(bricksllm_usage_anomalies_total{{{SEL}}}[{RI}]))', "anomaly {{provider}}")], "reqps", x=12,
   desc="Unpriced: a model without a price (recorded at cost 0). Anomaly: an upstream reported more usage than the request could use")
next_row(8)

# ---- limits, alerts, cache
row("Limits, alerts and cache")
ts("Limit store failures / s", [(f'sum by (store) (rate(bricksllm_limits_store_failures_total{{{SEL}}}[{RI}]))', "{{store}}"),
                                 (f'sum by (store) (rate(bricksllm_limits_admitted_while_down_total{{{SEL}}}[{RI}]))', "admitted while down {{store}}")],
   "reqps", x=0, w=8)
ts("Spend alerts", [(f'sum by (level, threshold, result) (increase(bricksllm_spend_alerts_total{{{SEL}}}[{RI}]))',
                     "{{level}} {{threshold}}% {{result}}")], "short", x=8, w=8)
ts("Response cache hit ratio", [(f'sum(rate(bricksllm_proxy_cache_hits_total{{{SEL}}}[{RI}])) / clamp_min(sum(rate(bricksllm_proxy_cache_hits_total{{{SEL}}}[{RI}])) '
                                  f'+ sum(rate(bricksllm_proxy_cache_misses_total{{{SEL}}}[{RI}])), 1e-9)', "hit ratio")], "percentunit", x=16, w=8)
next_row(8)

# ---- event pipeline
row("Event pipeline")
ts("Event queue depth", [(f'sum by (instance) (bricksllm_events_queue_depth{{{SEL}}})', "{{instance}}")], "short", x=0, w=8)
ts("Events / s", [(f'sum(rate(bricksllm_events_{n}_total{{{SEL}}}[{RI}]))', n) for n in ("written", "spooled", "replayed", "rejected", "lost")],
   "short", x=8, w=8, desc="spooled: the database could not take them and they wait on disk; lost should stay 0")
ts("Last batch latency", [(f'max by (instance) (bricksllm_events_last_batch_latency_seconds{{{SEL}}})', "{{instance}}")], "s", x=16, w=8)
next_row(8)

# ---- process
row("Process")
ts("Heap used", [(f'sum by (instance) (jvm_memory_used_bytes{{{SEL},area="heap"}})', "{{instance}}")], "bytes", x=0, w=6)
ts("GC pause time / s", [(f'sum by (instance) (rate(jvm_gc_pause_seconds_sum{{{SEL}}}[{RI}]))', "{{instance}}")], "s", x=6, w=6)
ts("CPU", [(f'process_cpu_usage{{{SEL}}}', "{{instance}}")], "percentunit", x=12, w=6)
ts("Threads and open files", [(f'jvm_threads_live_threads{{{SEL}}}', "threads {{instance}}"),
                              (f'process_files_open_files{{{SEL}}}', "files {{instance}}")], "short", x=18, w=6)
next_row(8)

var = lambda name, q, label: {"name": name, "label": label, "type": "query", "datasource": DS, "query": {"query": q, "refId": name},
                               "definition": q, "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
                               "current": {"text": "All", "value": "$__all"}, "sort": 1}
dashboard = {
    "title": "BricksLLM gateway", "uid": "bricksllm-gateway", "tags": ["bricksllm", "llm", "gateway"], "timezone": "",
    "schemaVersion": 39, "version": 1, "editable": True, "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
    "description": "Traffic, latency, errors and refusals, tokens and cost by provider/model/key/team, limit-store health, "
                   "event pipeline and process health of BricksLLM for the JVM (metrics on the admin port's /metrics).",
    "templating": {"list": [
        {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0},
        var("instance", "label_values(bricksllm_proxy_requests_total, instance)", "Instance"),
        var("provider", "label_values(bricksllm_proxy_requests_total, provider)", "Provider"),
    ]},
    "annotations": {"list": []},
    "panels": panels,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bricksllm-dashboard.json")
with open(out, "w") as f:
    json.dump(dashboard, f, indent=2)
    f.write("\n")
print(out, len(panels), "panels")
