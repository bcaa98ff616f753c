#!/usr/bin/env python3
"""Hot frames of an async-profiler 'collapsed' output (one 'frame;frame;...;leaf count' line per stack) on stdin.

  python3 bench/collapsed_hot.py [TOP] < gateway.collapsed

Prints samples by thread group (first frame), self time by leaf frame, total time by frame (counted once per
stack) and by nearest io.bricksllm frame.
"""
import collections
import re
import sys


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    first, self_t, total_t, own = (collections.Counter() for _ in range(4))
    n = 0
    for line in sys.stdin:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        c = int(count)
        frames = stack.split(";")
        n += c
        first[re.sub(r"[\d-]+$", "", frames[0])] += c
        self_t[frames[-1]] += c
        for f in set(frames):
            total_t[f] += c
        for f in reversed(frames):
            if f.startswith("io/bricksllm") or f.startswith("io.bricksllm"):
                own[f] += c
                break
        else:
            own["(no gateway frame)"] += c
    for title, counter in (("root frame", first), ("self", self_t), ("total", total_t), ("nearest gateway frame", own)):
        print("== %s, %d samples" % (title, n))
        for k, v in counter.most_common(top):
            print("  %5.1f%%  %s" % (100.0 * v / max(1, n), k[:160]))
        print()


if __name__ == "__main__":
    main()
