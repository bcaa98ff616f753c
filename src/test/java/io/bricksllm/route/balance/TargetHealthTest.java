package io.bricksllm.route.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.RouteTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The circuit of one target: failures in the window, cooldown, one probe, back to healthy. */
class TargetHealthTest {
    final AtomicLong now = new AtomicLong(5_000_000);
    final HealthSettings settings = new HealthSettings(5, Duration.ofSeconds(60), Duration.ofSeconds(30));
    final TargetGroup g = new TargetGroup("route#0", List.of(new RouteTarget("openai", "a", "", 1, Map.of()),
            new RouteTarget("openai", "b", "", 1, Map.of())), "round-robin", settings, new MemoryHealthBook(), new SplittableRandom(1), now::get);

    void fail(int target) {
        g.started(target);
        g.finished(target, TargetGroup.Result.FAILED, -1);
    }

    @Test
    void aTargetFailingFiveTimesIsSkippedThenProbedAfterTheCooldownAndRestoredOnSuccess() {
        for (int i = 0; i < 4; i++) fail(0);
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.HEALTHY);
        assertThat(g.health().get(0).recentFailures()).isEqualTo(4);
        fail(0);
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.COOLDOWN);
        for (int i = 0; i < 20; i++) assertThat(g.pick(Set.of(), "").orElseThrow().index()).isEqualTo(1);

        now.addAndGet(30_000);
        TargetGroup.Pick probe = g.pick(Set.of(), "").orElseThrow();
        assertThat(probe.index()).isZero();
        assertThat(probe.probe()).isTrue();
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.PROBING);
        // one probe only: while it is out, other requests keep away from the target
        for (int i = 0; i < 20; i++) assertThat(g.pick(Set.of(), "").orElseThrow().index()).isEqualTo(1);

        g.started(0);
        g.finished(0, TargetGroup.Result.ANSWERED, 80);
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.HEALTHY);
        assertThat(g.health().get(0).latencyMs()).isEqualTo(80.0);
        List<Integer> turns = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) turns.add(g.pick(Set.of(), "").orElseThrow().index());
        assertThat(turns).contains(0, 1);
    }

    @Test
    void aFailedProbeStartsAnotherCooldown() {
        for (int i = 0; i < 5; i++) fail(0);
        now.addAndGet(30_000);
        assertThat(g.pick(Set.of(), "").orElseThrow().probe()).isTrue();
        fail(0);
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.COOLDOWN);
        now.addAndGet(29_000);
        assertThat(g.pick(Set.of(), "").orElseThrow().index()).isEqualTo(1);
        now.addAndGet(1_000);
        assertThat(g.pick(Set.of(), "").orElseThrow().probe()).isTrue();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) fail(0);
        now.addAndGet(61_000);
        fail(0);
        assertThat(g.health().get(0).state()).isEqualTo(HealthState.HEALTHY);
        assertThat(g.health().get(0).recentFailures()).isEqualTo(1);
    }

    @Test
    void aGroupWithEveryTargetCoolingDownHasNoPick() {
        for (int i = 0; i < 5; i++) fail(0);
        for (int i = 0; i < 5; i++) fail(1);
        assertThat(g.pick(Set.of(), "")).isEmpty();
    }
}
