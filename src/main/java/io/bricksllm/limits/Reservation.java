package io.bricksllm.limits;

import java.time.Instant;

/** Money set aside for one admitted request until its real cost is known. */
public record Reservation(String scope, long micros, Instant at) {}
