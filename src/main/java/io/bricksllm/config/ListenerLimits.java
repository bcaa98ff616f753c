package io.bricksllm.config;

import java.time.Duration;

/**
 * What each listener (proxy, admin) allows a connection: {@code headerRead} to send a request's head once connected,
 * {@code idle} between requests on a kept-alive connection, and at most {@code maxConnections} open at once.
 */
public record ListenerLimits(Duration headerRead, Duration idle, int maxConnections) {
    /** 10 s to send a request head; 75 s idle (nginx's default, above the 60 s idle timeout of common load balancers,
     * which expect the backend to keep a connection longer than they do); 10,000 connections. */
    public static final ListenerLimits DEFAULTS = new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(75), 10_000);
}
