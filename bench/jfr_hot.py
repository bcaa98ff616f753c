#!/usr/bin/env python3
"""Hot methods of a JFR recording, from `jfr print --stack-depth 64 --events jdk.ExecutionSample --json FILE` on stdin.

  jfr print --stack-depth 64 --events jdk.ExecutionSample --json x.jfr | python3 bench/jfr_hot.py [TOP]

Prints samples per thread, the top methods by self time (top frame), the top methods by total time (anywhere
on the stack, counted once per sample) and the top gateway (io.bricksllm) frames nearest to the top.
"""
import collections
import json
import sys


def name(frame):
    m = frame["method"]
    return "%s.%s" % (m["type"]["name"].replace("/", "."), m["name"])


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    events = json.load(sys.stdin)["recording"]["events"]
    threads, self_t, total_t, own = (collections.Counter() for _ in range(4))
    for e in events:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        thread = (v.get("sampledThread") or {}).get("javaName") or "?"
        threads[thread.rstrip("0123456789-")] += 1
        if not frames:
            continue
        self_t[name(frames[0])] += 1
        for n in {name(f) for f in frames}:
            total_t[n] += 1
        mine = next((name(f) for f in frames if name(f).startswith("io.bricksllm")), None)
        if mine:
            own[mine] += 1
    n = len(events) or 1
    for title, counter, k in (("samples by thread", threads, 10), ("self (top frame)", self_t, top),
                              ("total (on stack)", total_t, top), ("nearest gateway frame", own, top)):
        print("== %s, %d samples" % (title, len(events)))
        for method, c in counter.most_common(k):
            print("%6.1f%%  %s" % (100.0 * c / n, method))
        print()


if __name__ == "__main__":
    main()
