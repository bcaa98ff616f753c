package io.bricksllm.route.balance;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The target with the most of its share left: fewest requests started in the last minute relative to its weight,
 * the weight standing for the deployment's own capacity (provider settings carry no rate limits of their own, so
 * the gateway spreads by what it has sent). Ties at random.
 */
public final class UsageBased implements Strategy {
    @Override
    public int pick(List<Candidate> candidates, RandomGenerator random) {
        return Strategy.lowest(candidates, c -> c.recentRequests() / c.weight(), random);
    }
}
