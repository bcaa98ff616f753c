package io.bricksllm.route.balance;

/**
 * What a strategy sees of one target when it picks: its position in the group, weight, requests in flight at this
 * gateway, EWMA time to first byte ({@code NaN} before its first answer) and requests started in the last minute.
 */
public record Candidate(int index, int weight, int inFlight, double latencyMs, double recentRequests) {}
