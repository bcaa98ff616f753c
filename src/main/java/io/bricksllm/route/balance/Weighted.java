package io.bricksllm.route.balance;

import java.util.List;
import java.util.random.RandomGenerator;

/** Random, in proportion to the targets' weights. */
public final class Weighted implements Strategy {
    @Override
    public int pick(List<Candidate> candidates, RandomGenerator random) {
        long total = 0;
        for (Candidate c : candidates) total += c.weight();
        long r = random.nextLong(total);
        for (int i = 0; i < candidates.size(); i++) {
            r -= candidates.get(i).weight();
            if (r < 0) return i;
        }
        return candidates.size() - 1;
    }
}
