package io.bricksllm.limits;

/**
 * How an admitted request ended, for {@link LimitLedger#settle}: its real cost and tokens (replacing what was
 * reserved; {@code tokens} -1 = not known, the reservation stands), and whether it counts as a request — false gives the
 * request slots back (a refusal by the gateway after admission; upstream failures still count).
 */
public record Settlement(long costMicros, long tokens, boolean countsAsRequest) {}
