package io.bricksllm.route.balance;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How a target group chooses among its healthy targets. One instance per group (round-robin keeps a position), used
 * under the group's lock.
 */
public sealed interface Strategy permits Weighted, RoundRobin, LeastBusy, LowestLatency, UsageBased {
    String WEIGHTED = "weighted";
    String ROUND_ROBIN = "round-robin";
    String LEAST_BUSY = "least-busy";
    String LOWEST_LATENCY = "lowest-latency";
    String USAGE_BASED = "usage-based";
    Set<String> NAMES = Set.of(WEIGHTED, ROUND_ROBIN, LEAST_BUSY, LOWEST_LATENCY, USAGE_BASED);

    /** The position in {@code candidates} (never empty) of the target to send to. */
    int pick(List<Candidate> candidates, RandomGenerator random);

    /** A new instance of the named strategy; "" is weighted. */
    static Strategy of(String name) {
        return switch (name == null ? "" : name) {
            case "", WEIGHTED -> new Weighted();
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_BUSY -> new LeastBusy();
            case LOWEST_LATENCY -> new LowestLatency(LowestLatency.EXPLORATION);
            case USAGE_BASED -> new UsageBased();
            default -> throw new IllegalArgumentException("unknown strategy " + name + "; one of " + NAMES);
        };
    }

    /** Uniformly among the positions whose score is lowest (ties are common: idle targets, no samples yet). */
    static int lowest(List<Candidate> candidates, java.util.function.ToDoubleFunction<Candidate> score, RandomGenerator random) {
        double best = Double.POSITIVE_INFINITY;
        int ties = 0;
        int chosen = 0;
        for (int i = 0; i < candidates.size(); i++) {
            double s = score.applyAsDouble(candidates.get(i));
            if (s < best) {
                best = s;
                ties = 1;
                chosen = i;
            } else if (s == best && random.nextInt(++ties) == 0) {
                chosen = i; // reservoir sampling: each tie equally likely without a second pass
            }
        }
        return chosen;
    }
}
