package io.bricksllm.route.balance;

import java.util.List;
import java.util.random.RandomGenerator;

/** The target with the fewest requests in flight at this gateway, relative to its weight; ties at random. */
public final class LeastBusy implements Strategy {
    @Override
    public int pick(List<Candidate> candidates, RandomGenerator random) {
        return Strategy.lowest(candidates, c -> (double) c.inFlight() / c.weight(), random);
    }
}
