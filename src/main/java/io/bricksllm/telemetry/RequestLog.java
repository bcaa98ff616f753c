package io.bricksllm.telemetry;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.ProxyPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log line per proxied request, handed to a {@link LineWriter} (formatted here, written in bulk by its
 * thread: logging costs the event loop a string, not a logger call, a queue hand-off and a wake-up).
 * Production: one JSON object per line (key id, provider, model, status, latency, tokens, cost, policy action,
 * correlation id) — never a secret. Strict privacy (the default) never writes prompts, completions or
 * embeddings; only an explicit non-strict mode adds the request body. Dev: a short readable line.
 */
public final class RequestLog implements ProxyPipeline.ProxyObserver {
    public static final String LOGGER = "bricksllm.request";
    private static final int MAX_LOGGED_BODY = 4096;
    private static final DateTimeFormatter DEV_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final boolean production;
    private final boolean strictPrivacy;
    private final LineWriter out;
    private final Clock clock;

    public RequestLog(boolean production, boolean strictPrivacy, LineWriter out, Clock clock) {
        this.production = production;
        this.strictPrivacy = strictPrivacy;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void finished(Exchange x, Outcome o, long latencyMs) {
        out.write(production ? json(x, o, latencyMs) : dev(x, o, latencyMs));
    }

    private String dev(Exchange x, Outcome o, long latencyMs) {
        return DEV_TIME.format(Instant.ofEpochMilli(clock.millis())) + " INFO  request - proxy | " + o.status() + " | "
                + x.request.method() + " | " + x.endpoint.template() + " | " + latencyMs + "ms";
    }

    private String json(Exchange x, Outcome o, long latencyMs) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"timestamp\":").append(clock.millis()).append(",\"level\":\"INFO\",\"loggerName\":\"").append(LOGGER)
                .append("\",\"message\":\"response to proxy\"");
        text(b, "correlationId", x.correlationId);
        text(b, "keyId", x.key == null ? "" : x.key.keyId());
        text(b, "provider", x.providerName());
        text(b, "path", x.endpoint.template());
        text(b, "method", x.request.method().name());
        text(b, "model", o.model().isEmpty() ? x.info.model() : o.model());
        b.append(",\"status\":").append(o.status());
        b.append(",\"latencyMs\":").append(latencyMs);
        b.append(",\"promptTokens\":").append(o.promptTokens());
        b.append(",\"completionTokens\":").append(o.completionTokens());
        b.append(",\"costUsd\":").append(Double.isFinite(o.costUsd()) ? o.costUsd() : 0);
        text(b, "action", x.policyAction);
        if (o.refusal() != null) text(b, "refusal", o.refusal().reason());
        if (!strictPrivacy && x.bodyToRecord() != null) {
            int n = Math.min(x.bodyToRecord().length(), MAX_LOGGED_BODY);
            text(b, "request", new String(x.bodyToRecord().getBytes(0, n), StandardCharsets.UTF_8));
        }
        return b.append('}').toString();
    }

    private static void text(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":\"");
        if (value != null) {
            if (plain(value)) b.append(value); // ids, paths, model names: nothing to escape
            else JsonStringEncoder.getInstance().quoteAsString(value, b);
        }
        b.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) return false;
        }
        return true;
    }
}
