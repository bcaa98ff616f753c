package io.bricksllm.limits;

/** A level's counters now, read without changing them (the self-service view, tests): -1 where the level has no such limit. */
public record LevelSnapshot(long requestsUsed, long tokensUsed, long totalSpentMicros, long windowSpentMicros, long inFlight) {}
