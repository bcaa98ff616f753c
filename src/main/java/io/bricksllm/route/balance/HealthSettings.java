package io.bricksllm.route.balance;

import java.time.Duration;

/** {@code threshold} failures within {@code window} take a target out of rotation for {@code cooldown}. */
public record HealthSettings(int threshold, Duration window, Duration cooldown) {}
