package io.bricksllm.route.balance;

import io.bricksllm.store.RouteTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The live state of one target group of a route: in-flight counts, latency and recent load per target, the group's
 * strategy, and health through the {@link HealthBook}. Requests of every event loop share it; each call holds the
 * group's lock for a few field updates only.
 */
public final class TargetGroup {
    /** Weight of the newest time-to-first-byte sample in the EWMA. */
    static final double ALPHA = 0.3;
    static final long MINUTE = 60_000;
    /**
     * A latency older than this is not trusted: the target counts as unmeasured (lowest-latency sends it the next
     * request) and its next sample starts the average afresh — how a target that was slow and recovered wins its
     * traffic back within seconds, whatever the exploration share.
     */
    static final long STALE = 10_000;

    /** A pick: the target's position in the group, and whether it is the probe of a target coming out of cooldown. */
    public record Pick(int index, RouteTarget target, boolean probe) {}

    /** How an attempt at a target ended, as health sees it. */
    public enum Result { ANSWERED, FAILED }

    /** One target's state for the health endpoint. */
    public record TargetHealth(int index, RouteTarget target, HealthState state, int recentFailures, Double latencyMs, int inFlight) {}

    private static final class Stats {
        int inFlight;
        double ewma = Double.NaN;
        long sampledAt;
        long bucketStart;
        long currentMinute;
        long previousMinute;
    }

    private final String id;
    private final List<RouteTarget> targets;
    private final String strategyName;
    private final HealthSettings health;
    private final HealthBook book;
    private final RandomGenerator random;
    private final LongSupplier clock;
    private final Stats[] stats;
    private final Map<String, Strategy> strategies = new HashMap<>();
    private final SharedLoad load;
    /** The group's name in the shared load: its id and its targets, so a group remade with other targets starts afresh. */
    private final String loadName;

    public TargetGroup(String id, List<RouteTarget> targets, String strategy, HealthSettings health, HealthBook book,
                       RandomGenerator random, LongSupplier clock) {
        this(id, targets, strategy, health, book, SharedLoad.NONE, random, clock);
    }

    /** {@code load}: in-flight counts of other instances, which least-busy adds to this one's. */
    public TargetGroup(String id, List<RouteTarget> targets, String strategy, HealthSettings health, HealthBook book,
                       SharedLoad load, RandomGenerator random, LongSupplier clock) {
        this.id = id;
        this.load = load;
        this.targets = List.copyOf(targets);
        this.strategyName = strategy == null || strategy.isEmpty() ? Strategy.WEIGHTED : strategy;
        this.health = health;
        this.book = book;
        this.random = random;
        this.clock = clock;
        this.stats = new Stats[targets.size()];
        for (int i = 0; i < stats.length; i++) stats[i] = new Stats();
        strategies.put(strategyName, Strategy.of(strategyName));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < this.targets.size(); i++) names.append(key(i)).append(';');
        this.loadName = id + "|" + Integer.toHexString(names.toString().hashCode());
    }

    public String id() {
        return id;
    }

    public String strategy() {
        return strategyName;
    }

    public List<RouteTarget> targets() {
        return targets;
    }

    /** The health book's key of a target: the route, the step and the target's provider, model and setting. */
    String key(int i) {
        RouteTarget t = targets.get(i);
        return id + "|" + i + "|" + t.provider() + "/" + t.model() + "/" + t.settingId();
    }

    /**
     * A target to send to, leaving out {@code excluded} positions (tried in this request already) and targets in
     * cooldown; a target whose cooldown is over is taken first, as its probe. Empty when none is available.
     * {@code strategyOverride} ("" = the group's) picks with another strategy, checked by the caller.
     */
    public synchronized Optional<Pick> pick(Set<Integer> excluded, String strategyOverride) {
        long now = clock.getAsLong();
        List<Candidate> candidates = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            if (excluded.contains(i)) continue;
            HealthBook.View v = book.view(key(i), health, now);
            if (v.state() == HealthState.HEALTHY) {
                Stats s = stats[i];
                double latency = now - s.sampledAt > STALE ? Double.NaN : s.ewma;
                candidates.add(new Candidate(i, targets.get(i).effectiveWeight(), inFlight(i), latency, recent(s, now)));
            } else if (v.probeDue() && book.claimProbe(key(i), health, now)) {
                return Optional.of(new Pick(i, targets.get(i), true));
            }
        }
        if (candidates.isEmpty()) return Optional.empty();
        String name = strategyOverride == null || strategyOverride.isEmpty() ? strategyName : strategyOverride;
        Strategy strategy = strategies.computeIfAbsent(name, Strategy::of);
        int i = candidates.get(strategy.pick(candidates, random)).index();
        return Optional.of(new Pick(i, targets.get(i), false));
    }

    /** An attempt at target {@code i} begins. */
    public synchronized void started(int i) {
        Stats s = stats[i];
        s.inFlight++;
        roll(s, clock.getAsLong());
        s.currentMinute++;
        load.started(loadName, i);
    }

    /**
     * An attempt at target {@code i} ended; {@code firstByteMillis} is its time to the upstream's answer (negative
     * when none came).
     */
    public void finished(int i, Result result, long firstByteMillis) {
        long now = clock.getAsLong();
        synchronized (this) {
            Stats s = stats[i];
            if (s.inFlight > 0) load.ended(loadName, i);
            s.inFlight = Math.max(0, s.inFlight - 1);
            if (firstByteMillis >= 0 && result == Result.ANSWERED) {
                boolean fresh = !Double.isNaN(s.ewma) && now - s.sampledAt <= STALE;
                s.ewma = fresh ? ALPHA * firstByteMillis + (1 - ALPHA) * s.ewma : firstByteMillis;
                s.sampledAt = now;
            }
        }
        if (result == Result.FAILED) book.failure(key(i), health, now);
        else book.success(key(i), now);
    }

    /** An attempt at target {@code i} that never reached it (refused by the gateway first) no longer counts as in flight. */
    public synchronized void released(int i) {
        Stats s = stats[i];
        if (s.inFlight > 0) load.ended(loadName, i);
        s.inFlight = Math.max(0, s.inFlight - 1);
    }

    /** Each target's state for {@code GET /api/routes/:id/health}. */
    public synchronized List<TargetHealth> health() {
        long now = clock.getAsLong();
        List<TargetHealth> out = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            HealthBook.View v = book.view(key(i), health, now);
            Stats s = stats[i];
            out.add(new TargetHealth(i, targets.get(i), v.state(), v.recentFailures(),
                    Double.isNaN(s.ewma) ? null : Math.round(s.ewma * 10) / 10.0, inFlight(i)));
        }
        return out;
    }

    /** The state of target {@code i} now (metrics). */
    public HealthState state(int i) {
        return book.view(key(i), health, clock.getAsLong()).state();
    }

    /** Requests in flight at target {@code i}: this instance's, plus the other instances' as last seen (scale-out). */
    private int inFlight(int i) {
        return stats[i].inFlight + load.elsewhere(loadName, i, targets.size());
    }

    /** Requests started in the last minute: this minute's, plus the previous minute's share still inside the window. */
    private static double recent(Stats s, long now) {
        roll(s, now);
        double past = 1.0 - (double) (now - s.bucketStart) / MINUTE;
        return s.currentMinute + s.previousMinute * Math.max(0, past);
    }

    private static void roll(Stats s, long now) {
        long start = now - Math.floorMod(now, MINUTE);
        if (start == s.bucketStart) return;
        s.previousMinute = start - s.bucketStart == MINUTE ? s.currentMinute : 0;
        s.currentMinute = 0;
        s.bucketStart = start;
    }
}
