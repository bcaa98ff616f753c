package io.bricksllm.route.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bricksllm.store.RouteTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each strategy's distribution with a seeded random and a hand-driven clock: deterministic, no sleeps. */
class StrategyTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final HealthSettings health = new HealthSettings(5, Duration.ofSeconds(60), Duration.ofSeconds(30));

    TargetGroup group(String strategy, int... weights) {
        List<RouteTarget> targets = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) targets.add(new RouteTarget("openai", "m" + i, "", weights[i], Map.of()));
        return new TargetGroup("r#0", targets, strategy, health, new MemoryHealthBook(), new SplittableRandom(42), now::get);
    }

    int pick(TargetGroup g) {
        return g.pick(Set.of(), "").orElseThrow().index();
    }

    @Test
    void weightedSpreadsTenThousandPicksWithinTwoPercentOfTheWeights() {
        TargetGroup g = group("weighted", 70, 20, 10);
        int[] counts = new int[3];
        for (int i = 0; i < 10_000; i++) counts[pick(g)]++;
        assertThat(counts[0] / 10_000.0).isCloseTo(0.70, within(0.02));
        assertThat(counts[1] / 10_000.0).isCloseTo(0.20, within(0.02));
        assertThat(counts[2] / 10_000.0).isCloseTo(0.10, within(0.02));
    }

    @Test
    void roundRobinInterleavesByWeight() {
        TargetGroup g = group("round-robin", 5, 1, 1);
        List<Integer> seq = new ArrayList<>();
        for (int i = 0; i < 7; i++) seq.add(pick(g));
        assertThat(seq).containsExactly(0, 0, 1, 0, 2, 0, 0); // nginx's smooth order, not five a's in a row
        TargetGroup equal = group("round-robin", 1, 1, 1);
        List<Integer> turns = new ArrayList<>();
        for (int i = 0; i < 6; i++) turns.add(pick(equal));
        assertThat(turns).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void leastBusyKeepsInFlightCountsWithinOneUnderASlowTarget() {
        TargetGroup g = group("least-busy", 1, 1, 1);
        int[] inFlight = new int[3];
        int[] sent = new int[3];
        // six clients, each sending again as soon as its answer comes; target 0 takes ten times as long
        java.util.PriorityQueue<long[]> pending = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(p -> p[1]));
        long tick = 0;
        for (int c = 0; c < 6; c++) pending.add(send(g, inFlight, sent, tick));
        for (int i = 0; i < 5_000; i++) {
            long[] done = pending.poll();
            tick = done[1];
            g.finished((int) done[0], TargetGroup.Result.ANSWERED, 5);
            inFlight[(int) done[0]]--;
            pending.add(send(g, inFlight, sent, tick));
            int max = Math.max(inFlight[0], Math.max(inFlight[1], inFlight[2]));
            int min = Math.min(inFlight[0], Math.min(inFlight[1], inFlight[2]));
            assertThat(max - min).as("in flight %s", java.util.Arrays.toString(inFlight)).isLessThanOrEqualTo(1);
        }
        assertThat(sent[0] * 5).as("the slow target serves fewer requests: %s", java.util.Arrays.toString(sent)).isLessThan(sent[1]);
    }

    private long[] send(TargetGroup g, int[] inFlight, int[] sent, long tick) {
        int t = pick(g);
        g.started(t);
        inFlight[t]++;
        sent[t]++;
        return new long[] {t, tick + (t == 0 ? 10 : 1)};
    }

    @Test
    void lowestLatencyMovesOffATargetThatSlowsTenfoldAndBackWhenItRecovers() {
        TargetGroup g = group("lowest-latency", 1, 1);
        long[] latency = {100, 100};
        // warm up: both measured
        for (int i = 0; i < 200; i++) serve(g, latency);
        latency[0] = 1_000; // target 0 slows tenfold
        for (int i = 0; i < 50; i++) serve(g, latency); // the EWMA notices
        int[] counts = new int[2];
        for (int i = 0; i < 1_000; i++) counts[serve(g, latency)]++;
        assertThat(counts[0] / 1_000.0).as("share left on the slow target").isLessThanOrEqualTo(0.10);
        latency[0] = 50; // recovered, and now the faster of the two
        now.addAndGet(TargetGroup.STALE + 1); // within a minute its old latency is stale: the next request measures it
        for (int i = 0; i < 20; i++) serve(g, latency);
        counts = new int[2];
        for (int i = 0; i < 1_000; i++) counts[serve(g, latency)]++;
        assertThat(counts[0] / 1_000.0).as("traffic back on the recovered target").isGreaterThanOrEqualTo(0.90);
    }

    private int serve(TargetGroup g, long[] latency) {
        int t = pick(g);
        g.started(t);
        now.addAndGet(10);
        g.finished(t, TargetGroup.Result.ANSWERED, latency[t]);
        return t;
    }

    @Test
    void usageBasedSendsToTheTargetWithMostOfItsShareLeft() {
        TargetGroup g = group("usage-based", 3, 1);
        int[] counts = new int[2];
        for (int i = 0; i < 400; i++) {
            int t = pick(g);
            g.started(t);
            g.finished(t, TargetGroup.Result.ANSWERED, 5);
            counts[t]++;
        }
        assertThat(counts[0]).isBetween(299, 301); // 3:1 exactly, up to a tie
        now.addAndGet(120_000); // two minutes later the counts are forgotten
        List<Candidate> c = new ArrayList<>();
        int first = pick(g);
        assertThat(first).isIn(0, 1);
    }

    @Test
    void aRequestMayPickWithAnotherStrategy() {
        TargetGroup g = group("weighted", 1, 1, 1);
        List<Integer> turns = new ArrayList<>();
        for (int i = 0; i < 3; i++) turns.add(g.pick(Set.of(), "round-robin").orElseThrow().index());
        assertThat(turns).containsExactly(0, 1, 2);
    }

    @Test
    void excludedTargetsAreNotPicked() {
        TargetGroup g = group("weighted", 1, 1, 1);
        for (int i = 0; i < 100; i++) assertThat(g.pick(Set.of(0, 2), "").orElseThrow().index()).isEqualTo(1);
        assertThat(g.pick(Set.of(0, 1, 2), "")).isEmpty();
    }
}
