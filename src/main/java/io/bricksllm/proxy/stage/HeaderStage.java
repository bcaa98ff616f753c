package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.vertx.core.Future;
import java.time.Duration;

/** Reads the gateway's own request headers: X-REQUEST-TIMEOUT, X-CUSTOM-EVENT-ID, X-METADATA. */
public final class HeaderStage implements Stage {
    /**
     * The shortest timeout a caller may ask for. No upstream model answers in less (a TLS handshake alone takes
     * tens of ms); a smaller value is a unit mistake ("1ns", "500us") that would only buy a 504 — and Vert.x
     * timers cannot count below a millisecond anyway. Refused with a message that names the minimum.
     */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private final Duration defaultTimeout;

    public HeaderStage(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String t = x.request.getHeader("x-request-timeout");
        if (t == null || t.isBlank()) {
            x.timeout = defaultTimeout;
        } else {
            try {
                x.timeout = GoDuration.parse(t.trim());
            } catch (IllegalArgumentException e) {
                return Refusal.fail(new Refusal.BadRequest("invalid timeout"));
            }
            if (x.timeout.isNegative() || x.timeout.isZero()) return Refusal.fail(new Refusal.BadRequest("invalid timeout"));
            if (x.timeout.compareTo(MIN_TIMEOUT) < 0) {
                return Refusal.fail(new Refusal.BadRequest("invalid timeout: x-request-timeout must be at least "
                        + MIN_TIMEOUT.toMillis() + "ms"));
            }
        }
        String custom = x.request.getHeader("x-custom-event-id");
        x.customId = custom == null ? "" : custom;
        x.metadata = x.request.getHeader("x-metadata");
        return Future.succeededFuture();
    }
}
