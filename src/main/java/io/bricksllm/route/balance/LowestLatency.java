package io.bricksllm.route.balance;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The target with the lowest EWMA time to first byte; a target never measured goes first. A share of picks
 * ({@link #EXPLORATION}) goes to a random target instead, so a target that was slow and recovered is measured again
 * and wins its traffic back.
 */
public final class LowestLatency implements Strategy {
    /** 5 % of picks explore: with two targets, 97.5 % of traffic stays on the faster one. */
    static final double EXPLORATION = 0.05;

    private final double exploration;

    LowestLatency(double exploration) {
        this.exploration = exploration;
    }

    @Override
    public int pick(List<Candidate> candidates, RandomGenerator random) {
        if (candidates.size() > 1 && random.nextDouble() < exploration) return random.nextInt(candidates.size());
        return Strategy.lowest(candidates, c -> Double.isNaN(c.latencyMs()) ? -1 : c.latencyMs(), random);
    }
}
