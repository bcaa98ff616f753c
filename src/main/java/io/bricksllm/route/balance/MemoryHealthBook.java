package io.bricksllm.route.balance;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Target health of this gateway alone (one instance, or scale-out without shared health). */
public final class MemoryHealthBook implements HealthBook {
    private static final class Entry {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        HealthState state = HealthState.HEALTHY;
        long until; // COOLDOWN: end of the cooldown; PROBING: when an unanswered probe may be replaced
    }

    private final Map<String, Entry> entries = new HashMap<>();

    @Override
    public synchronized View view(String target, HealthSettings s, long now) {
        Entry e = entries.get(target);
        if (e == null) return new View(HealthState.HEALTHY, 0, false);
        prune(e, s, now);
        boolean due = e.state != HealthState.HEALTHY && now >= e.until;
        return new View(e.state, e.failures.size(), due);
    }

    @Override
    public synchronized boolean claimProbe(String target, HealthSettings s, long now) {
        Entry e = entries.get(target);
        if (e == null || e.state == HealthState.HEALTHY || now < e.until) return false;
        e.state = HealthState.PROBING;
        e.until = now + s.cooldown().toMillis();
        return true;
    }

    @Override
    public synchronized void failure(String target, HealthSettings s, long now) {
        Entry e = entries.computeIfAbsent(target, k -> new Entry());
        if (e.state == HealthState.PROBING) {
            cool(e, s, now); // the probe failed: another cooldown
            return;
        }
        if (e.state == HealthState.COOLDOWN) return; // an attempt begun before the target went out
        e.failures.addLast(now);
        prune(e, s, now);
        if (e.failures.size() >= s.threshold()) cool(e, s, now);
    }

    @Override
    public synchronized void success(String target, long now) {
        Entry e = entries.get(target);
        if (e != null && e.state == HealthState.PROBING) entries.remove(target);
    }

    private static void cool(Entry e, HealthSettings s, long now) {
        e.state = HealthState.COOLDOWN;
        e.until = now + s.cooldown().toMillis();
    }

    private static void prune(Entry e, HealthSettings s, long now) {
        long from = now - s.window().toMillis();
        while (!e.failures.isEmpty() && e.failures.peekFirst() <= from) e.failures.removeFirst();
    }
}
