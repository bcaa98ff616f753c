package io.bricksllm.route.balance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Smooth weighted round-robin (nginx's): each pick adds every candidate's weight to its running score, takes the
 * highest and subtracts the total from it — weights 5/1/1 give a a b a c a a, not a a a a a b c; equal weights take
 * turns. Targets out of rotation simply take no part.
 */
public final class RoundRobin implements Strategy {
    private final Map<Integer, Long> current = new HashMap<>();

    @Override
    public int pick(List<Candidate> candidates, RandomGenerator random) {
        long total = 0;
        int best = 0;
        long bestScore = Long.MIN_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            total += c.weight();
            long score = current.merge(c.index(), (long) c.weight(), Long::sum);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        current.merge(candidates.get(best).index(), -total, Long::sum);
        return best;
    }
}
