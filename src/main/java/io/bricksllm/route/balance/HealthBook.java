package io.bricksllm.route.balance;

/**
 * Where target health is kept: per target key, failures in the window, cooldown and the probe. Calls are short and
 * never block (the memory book holds a lock for a few map operations).
 */
public interface HealthBook {
    /** A target's state now and its failures within the window. */
    record View(HealthState state, int recentFailures, boolean probeDue) {}

    View view(String target, HealthSettings settings, long nowMillis);

    /**
     * Claims the one probe of a target whose cooldown has passed (or whose probe went unanswered for a cooldown);
     * false when it is not due or another request took it.
     */
    boolean claimProbe(String target, HealthSettings settings, long nowMillis);

    /** An attempt failed on a failover condition. */
    void failure(String target, HealthSettings settings, long nowMillis);

    /** An attempt was answered (not a failover condition): a probing target is healthy again. */
    void success(String target, long nowMillis);
}
