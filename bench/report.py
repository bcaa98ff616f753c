#!/usr/bin/env python3
"""Parses what bench/run.sh recorded, checks the gateway's accounting, prints the table and the verdicts.

  report.py accounting RUN_DIR ADMIN_URL WAIT_SECONDS   -> RUN_DIR/accounting.json
  report.py summary    RUN_DIR OUT_JSON                 -> table + verdicts on stdout, all numbers in OUT_JSON

Standard library only.
"""
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


# ------------------------------------------------------------------------------------------ raw inputs ---
def facts(run):
    """facts.txt: 'name value...' lines; repeated names collect into lists."""
    out = {}
    for line in (run / "facts.txt").read_text().splitlines():
        name, _, value = line.partition(" ")
        out.setdefault(name, []).append(value)
    return out


def duration_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(path):
    text = Path(path).read_text(errors="replace")
    r = {"requests": 0, "rps": 0.0, "non2xx": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    if m:
        r["requests"] = int(m.group(1))
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        r["rps"] = float(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r.update(connect=int(m.group(1)), read=int(m.group(2)), write=int(m.group(3)), timeout=int(m.group(4)))
    for pct in ("50", "90", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, text, re.M)
        r["p%s_ms" % pct] = duration_ms(m.group(1)) if m else None
    r["ok"] = r["requests"] - r["non2xx"]
    r["errors"] = r["connect"] + r["read"] + r["write"] + r["non2xx"]
    r["valid"] = r["requests"] > 0
    return r


def runs(run):
    out = {}
    for line in (run / "runs.tsv").read_text().splitlines():
        label, target, kind, conns, cpu_us, path = line.split("\t")
        r = parse_wrk(path)
        r.update(label=label, target=target, kind=kind, conns=int(conns), cpu_us=int(cpu_us))
        r["cpu_us_per_req"] = r["cpu_us"] / r["requests"] if r["requests"] else None
        out[label] = r
    return out


# ------------------------------------------------------------------------------------------ accounting ---


def http_json(url, body=None):
    """(status, parsed body or None); POST when body is given."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as e:
        return e.code, None


def expected_counts(run):
    """Per key: the 2xx answers its clients received. wrk drops its in-flight requests when its time is up,
    and the gateway may already have answered (and recorded) them, so a wrk-driven key may have up to one
    extra event per connection per run (in_flight_window); the probe completes every request it starts,
    so its keys must match exactly."""
    f, rs = facts(run), runs(run)
    exp = {}
    for kind, key in (("json", "bench"), ("sse", "bench-sse")):
        gw = [r for r in rs.values() if r["target"] == "gateway" and r["kind"] == kind]
        exp[key] = {"client_2xx": sum(r["ok"] for r in gw), "in_flight_window": sum(r["conns"] for r in gw),
                    "exact": False}
    for name, key, extra in (("first-chunk", "bench-sse50", 0), ("exact", "bench-exact", len(f.get("smoke_exact_ok", [])))):
        probe = json.loads((run / ("probe-%s.json" % name)).read_text())["gateway"]
        exp[key] = {"client_2xx": probe["ok"] + probe["warmup_ok"] + extra, "in_flight_window": 0, "exact": True,
                    "client_failed": probe["requests"] - probe["ok"]}
    return exp


def key_events(admin, key_id, start, end, small):
    """What the gateway recorded for one key. The probe keys (small): every event read (GET /api/events), so the
    cost sum and the pricing of each event are checked here. The wrk keys (10^4..10^6 events with their bodies,
    far too many for one answer: a few thousand SSE events already exhaust a 192 MB heap): counts, cost sum and
    cheapest 200 from the database (POST /api/v2/events, POST /api/reporting/events).
    Returns None when the events API is missing."""
    out = {}
    if small:
        status, events = http_json("%s/api/events?keyIds=%s&start=%d&end=%d" % (admin, key_id, start, end))
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError("GET /api/events answered %s" % status)
        ok = [e for e in events if e.get("status") == 200]
        out.update(source="GET /api/events", events=len(events), events_200=len(ok),
                   events_cost_usd=sum(float(e.get("cost_in_usd") or 0) for e in events),
                   unpriced_200=sum(1 for e in ok if not e.get("cost_in_usd") or e.get("unpriced")))
        by_status = {}
        for e in events:
            by_status[str(e.get("status"))] = by_status.get(str(e.get("status")), 0) + 1
        out["events_by_status"] = by_status
        return out

    def v2(extra):
        q = {"keyIds": [key_id], "start": start, "end": end, "limit": 1, "returnCount": True}
        q.update(extra)
        return http_json(admin + "/api/v2/events", q)

    status, all_page = v2({})
    if status == 404:
        return None
    if status != 200:
        raise RuntimeError("POST /api/v2/events answered %s" % status)
    _, ok_page = v2({"status": 200})
    _, cheapest = v2({"status": 200, "costOrder": "asc"})
    status, report = http_json(admin + "/api/reporting/events",
                               {"keyIds": [key_id], "start": start, "end": end, "increment": end - start})
    points = report["dataPoints"] if status == 200 else []
    cheapest_ev = (cheapest or {}).get("events") or [{}]
    out.update(source="POST /api/v2/events + /api/reporting/events", events=all_page["count"],
               events_200=ok_page["count"], events_cost_usd=sum(p["costInUsd"] for p in points) if points else None,
               cheapest_200_usd=cheapest_ev[0].get("cost_in_usd"),
               unpriced_200=0 if (cheapest_ev[0].get("cost_in_usd") or 0) > 0 else 1)  # 1: at least one
    return out


def accounting(run, admin, wait_s):
    f = facts(run)
    keys = {line.split()[0]: line.split()[2] for line in f["key"]}
    start = int(f["bench_start_epoch"][0]) - 5
    exp = expected_counts(run)
    result = {"available": True, "keys": {}}
    deadline = time.time() + wait_s
    while True:  # events are written asynchronously: poll until every key has its count, or the time is up
        for name, key_id in keys.items():
            e = exp[name]
            try:
                got = key_events(admin, key_id, start, int(time.time()) + 60, e["exact"])
            except Exception as err:  # the gateway failed to answer: a failed check, not a crashed report
                result = {"available": True, "error": "%s events: %s" % (name, err)}
                (run / "accounting.json").write_text(json.dumps(result, indent=1))
                print("accounting: FAILED, %s" % result["error"])
                return
            if got is None:
                result = {"available": False, "reason": "the events API answered 404"}
                (run / "accounting.json").write_text(json.dumps(result, indent=1))
                print("accounting: n/a (the events API answered 404)")
                return
            lo, hi = e["client_2xx"], e["client_2xx"] + e["in_flight_window"]
            result["keys"][name] = {"key_id": key_id, **e, **got, "count_ok": lo <= got["events_200"] <= hi}
        if all(k["count_ok"] for k in result["keys"].values()) or time.time() >= deadline:
            break
        time.sleep(1)
    for name, k in result["keys"].items():
        status, body = http_json("%s/api/reporting/keys/%s" % (admin, k["key_id"]))
        if status == 200 and body is not None and "costInMicroDollars" in body and k["events_cost_usd"] is not None:
            k["spend_micro_usd"] = body["costInMicroDollars"]
            k["spend_minus_events_micro_usd"] = body["costInMicroDollars"] - k["events_cost_usd"] * 1e6
            k["spend_ok"] = abs(k["spend_minus_events_micro_usd"]) <= 1 + 1e-9 * k["events_cost_usd"] * 1e6
        else:
            k["spend_micro_usd"], k["spend_ok"] = None, None
            k["spend_note"] = "GET /api/reporting/keys/<id> answered %s" % status
    (run / "accounting.json").write_text(json.dumps(result, indent=1))
    for name, k in result["keys"].items():
        print("accounting %-12s events(200)=%d client 2xx=%d%s  Σcost=$%s spend=%sµ$ unpriced 200s=%s" % (
            name, k["events_200"], k["client_2xx"], "" if k["exact"] else " (+<=%d cut by wrk)" % k["in_flight_window"],
            fmt(k["events_cost_usd"], "%.6f"), k["spend_micro_usd"], k["unpriced_200"]))


# --------------------------------------------------------------------------------------------- summary ---
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def per_round(rs, target, suffix):
    return [r for label, r in sorted(rs.items()) if re.fullmatch(r"r\d+-%s-%s" % (target, suffix), label)]


def ratio_by_round(rs, suffix, field, num="gateway", den="nginx"):
    a, b = per_round(rs, num, suffix), per_round(rs, den, suffix)
    return [x[field] / y[field] if x[field] is not None and y[field] else None for x, y in zip(a, b)]


def diff_by_round(rs, suffix, field, num="gateway", den="direct"):
    a, b = per_round(rs, num, suffix), per_round(rs, den, suffix)
    return [x[field] - y[field] if x[field] is not None and y[field] is not None else None for x, y in zip(a, b)]


def steal_share(f):
    """Steal and softirq as shares of all CPU time between the run's start and end (/proc/stat), or None."""
    if "cpustat_start" not in f or "cpustat_end" not in f:
        return None
    a = [int(x) for x in f["cpustat_start"][0].split()]
    b = [int(x) for x in f["cpustat_end"][0].split()]
    d = [y - x for x, y in zip(a, b)]
    total = sum(d[:8])  # user nice system idle iowait irq softirq steal (guest time is inside user)
    if total <= 0 or len(d) < 8:
        return None
    return "steal %.1f %%, softirq %.1f %%, idle %.1f %%" % (100.0 * d[7] / total, 100.0 * d[6] / total, 100.0 * d[3] / total)


def fmt(v, spec="%.2f"):
    return "n/a" if v is None else spec % v


def summary(run, out_path):
    f, rs = facts(run), runs(run)
    acc = json.loads((run / "accounting.json").read_text()) if (run / "accounting.json").exists() else {"available": False}
    probe = json.loads((run / "probe-first-chunk.json").read_text())
    startup = [int(x) for x in f.get("startup_ms", [])]
    rss_mb = int(f["rss_kb_gateway"][0]) / 1024
    targets = ("direct", "nginx", "gateway")

    def m(target, suffix, field):
        return med([r[field] for r in per_round(rs, target, suffix)])

    rows = [  # label, per-target values, comparison text
        ("c64 throughput (req/s)", [m(t, "c64", "rps") for t in targets], "%.0f"),
        ("c64 CPU per request (µs)", [m(t, "c64", "cpu_us_per_req") for t in targets], "%.1f"),
        ("c1 latency p50 (ms)", [m(t, "c1", "p50_ms") for t in targets], "%.3f"),
        ("c1 latency p99 (ms)", [m(t, "c1", "p99_ms") for t in targets], "%.3f"),
        ("c1 throughput (req/s)", [m(t, "c1", "rps") for t in targets], "%.0f"),
        ("sse32 streams/s", [m(t, "sse32", "rps") for t in targets], "%.0f"),
        ("sse32 CPU per stream (µs)", [m(t, "sse32", "cpu_us_per_req") for t in targets], "%.0f"),
        ("sse first chunk p50 (ms, 50ms gaps)", [probe[t]["first_p50_ms"] for t in targets], "%.3f"),
        ("sse first chunk p99 (ms, 50ms gaps)", [probe[t]["first_p99_ms"] for t in targets], "%.3f"),
    ]
    over = {t: rs.get("overload-%s-c256" % t) for t in ("nginx", "gateway")}
    rows.append(("c256 req/s", [None, over["nginx"]["rps"], over["gateway"]["rps"]], "%.0f"))
    rows.append(("c256 errors/timeouts/non-2xx", [None] + [
        "%d/%d/%d" % (o["connect"] + o["read"] + o["write"], o["timeout"], o["non2xx"]) for o in over.values()], "%s"))

    thr = med(ratio_by_round(rs, "c64", "rps"))
    cpu = med(ratio_by_round(rs, "c64", "cpu_us_per_req"))
    add_p50 = med(diff_by_round(rs, "c1", "p50_ms"))
    add_p50_nginx = med(diff_by_round(rs, "c1", "p50_ms", num="nginx"))
    sse = med(ratio_by_round(rs, "sse32", "rps"))
    first_add = probe["gateway"]["first_p50_ms"] - probe["direct"]["first_p50_ms"]
    first_add_nginx = probe["nginx"]["first_p50_ms"] - probe["direct"]["first_p50_ms"]
    og = over["gateway"]
    over_bad = og["connect"] + og["read"] + og["write"] + og["timeout"] + og["non2xx"]
    startup_med = med(startup)

    def acc_verdict():
        if not acc.get("available"):
            return None, "n/a: " + acc.get("reason", "accounting not run")
        if acc.get("error"):
            return False, "the events API failed: " + acc["error"]
        keys = acc["keys"]
        counts = all(k["count_ok"] for k in keys.values())
        unpriced = sum(k["unpriced_200"] or 0 for k in keys.values())
        spend = [k["spend_ok"] for k in keys.values()]
        text = "; ".join("%s %d/%d%s" % (n, k["events_200"], k["client_2xx"],
                                         "" if k["exact"] else "(+%d)" % k["in_flight_window"]) for n, k in keys.items())
        text += "; unpriced 200s %d" % unpriced
        if any(s is None for s in spend):
            text += "; spend n/a (reporting endpoint missing)"
            return (False if not counts or unpriced else None), text
        text += "; spend = Σ cost: " + ", ".join("%s %+.1fµ$" % (n, k["spend_minus_events_micro_usd"]) for n, k in keys.items())
        return counts and unpriced == 0 and all(spend), text

    sse_meter = acc.get("keys", {}).get("bench-sse50")
    first_metered = None if sse_meter is None else (sse_meter["count_ok"] and sse_meter["unpriced_200"] == 0)
    first_ok = first_add <= 1.0 and probe["gateway"]["ok"] == probe["gateway"]["requests"]
    acc_ok, acc_text = acc_verdict()

    verdicts = [  # name, pass (True/False/None = n/a), measured, target
        ("throughput c64", thr is not None and thr >= 0.50, "%s x nginx" % fmt(thr), ">= 0.50 x nginx"),
        ("CPU per request", cpu is not None and cpu <= 2.5, "%s x nginx" % fmt(cpu), "<= 2.5 x nginx"),
        ("added latency c1 p50", add_p50 is not None and add_p50 <= 0.15,
         "+%s ms over direct (nginx +%s)" % (fmt(add_p50, "%.3f"), fmt(add_p50_nginx, "%.3f")), "<= 0.15 ms"),
        ("overload c256", over_bad == 0, "%d errors, %d timeouts, %d non-2xx" % (
            og["connect"] + og["read"] + og["write"], og["timeout"], og["non2xx"]), "0 / 0 / 0"),
        ("SSE first chunk", first_ok and first_metered is not False,
         "+%.3f ms over direct (nginx +%.3f), %d/%d streams complete, metered: %s" % (
             first_add, first_add_nginx, probe["gateway"]["ok"], probe["gateway"]["requests"],
             "n/a" if first_metered is None else ("yes" if first_metered else "NO")), "<= 1 ms, all metered"),
        ("SSE streams/s", sse is not None and sse >= 0.35, "%s x nginx" % fmt(sse), ">= 0.35 x nginx"),
        ("RSS after runs", rss_mb <= 350, "%.0f MB" % rss_mb, "<= 350 MB"),
        ("start-up to healthy", startup_med is not None and startup_med <= 2000,
         "%s ms (median of %s)%s" % (fmt(startup_med, "%.0f"), startup,
                                     "; first launch, archive not written yet: %s ms" % f["startup_cold_ms"][0]
                                     if "startup_cold_ms" in f else ""), "<= 2000 ms"),
        ("accounting", acc_ok, acc_text, "events = 2xx, spend = Σ cost"),
    ]

    print()
    print("BricksLLM gateway benchmark  %s  jar %s  %s" % (f["date"][0], f["jar_sha256"][0], f["java"][0]))
    print("JVM: %s | %s CPUs, load %s -> %s (shared machine: compare ratios, not absolutes)" % (
        f["jvm_opts"][0], f["cpus"][0], f["loadavg_start"][0], f["loadavg_end"][0]))
    steal = steal_share(f)
    if steal:
        print("machine during the run: %s (a virtual machine's steal: time its CPUs wanted and the host gave elsewhere)" % steal)
    if "aot_cache" in f:
        print("gateway launched with an AOT cache (AOT=1): %s" % f["aot_cache"][0])
    if "cds_archive" in f:
        print("gateway launched with a class-data archive written by its first launch (CDS=1): %s" % f["cds_archive"][0])
    print("medians of %d interleaved rounds" % len(per_round(rs, "gateway", "c64")))
    print()
    print("%-38s %12s %12s %12s" % ("metric", "direct", "nginx", "gateway"))
    for label, values, spec in rows:
        print("%-38s %12s %12s %12s" % ((label,) + tuple(
            "-" if v is None else (v if isinstance(v, str) else spec % v) for v in values)))
    threads = run / "gateway-threads.txt"
    if threads.exists():
        busiest = [line.split("\t") for line in threads.read_text().splitlines()[:5]]
        print("gateway CPU by thread since launch: " + ", ".join("%s %.1fs" % (n, int(ms) / 1000) for ms, n in busiest))
    print()
    for name, ok, measured, target in verdicts:
        print("%-4s %-22s %s  (target %s)" % ("n/a" if ok is None else ("PASS" if ok else "FAIL"), name, measured, target))

    out = {"facts": f, "runs": rs, "first_chunk_probe": probe, "accounting": acc,
           "exact_probe": json.loads((run / "probe-exact.json").read_text()),
           "table": [{"metric": label, **dict(zip(targets, values))} for label, values, _ in rows],
           "ratios_by_round": {"c64_rps_gw_over_nginx": ratio_by_round(rs, "c64", "rps"),
                               "c64_cpu_per_req_gw_over_nginx": ratio_by_round(rs, "c64", "cpu_us_per_req"),
                               "c1_p50_added_ms": diff_by_round(rs, "c1", "p50_ms"),
                               "sse32_gw_over_nginx": ratio_by_round(rs, "sse32", "rps")},
           "verdicts": [{"target": n, "pass": ok, "measured": mtext, "limit": t} for n, ok, mtext, t in verdicts]}
    Path(out_path).write_text(json.dumps(out, indent=1, default=str))
    print("\nraw numbers: %s" % out_path)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "accounting":
        accounting(Path(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    elif cmd == "summary":
        summary(Path(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
