package io.bricksllm.telemetry;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.ProxyPipeline;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per proxied request. Production: a structured line (key id, provider, model, status,
 * latency, tokens, cost, policy action, correlation id) — never a secret. Strict privacy (the default)
 * never writes prompts, completions or embeddings; only an explicit non-strict mode adds the request body.
 * Dev: a short readable line.
 */
public final class RequestLog implements ProxyPipeline.ProxyObserver {
    static final String LOGGER = "bricksllm.request";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_LOGGED_BODY = 4096;

    private final boolean production;
    private final boolean strictPrivacy;

    public RequestLog(boolean production, boolean strictPrivacy) {
        this.production = production;
        this.strictPrivacy = strictPrivacy;
    }

    @Override
    public void finished(Exchange x, Outcome o, long latencyMs) {
        if (!LOG.isInfoEnabled()) return;
        if (!production) {
            LOG.info("proxy | {} | {} | {} | {}ms", o.status(), x.request.method(), x.endpoint.template(), latencyMs);
            return;
        }
        LoggingEventBuilder e = LOG.atInfo()
                .addKeyValue("correlationId", x.correlationId)
                .addKeyValue("keyId", x.key == null ? "" : x.key.keyId())
                .addKeyValue("provider", x.answeredBy != null ? x.answeredBy : x.endpoint.provider())
                .addKeyValue("path", x.endpoint.template())
                .addKeyValue("method", x.request.method().name())
                .addKeyValue("model", o.model().isEmpty() ? x.info.model() : o.model())
                .addKeyValue("status", o.status())
                .addKeyValue("latencyMs", latencyMs)
                .addKeyValue("promptTokens", o.promptTokens())
                .addKeyValue("completionTokens", o.completionTokens())
                .addKeyValue("costUsd", o.costUsd())
                .addKeyValue("action", x.policyAction);
        if (o.refusal() != null) e = e.addKeyValue("refusal", o.refusal().reason());
        if (!strictPrivacy && x.body != null) {
            int n = Math.min(x.body.length(), MAX_LOGGED_BODY);
            e = e.addKeyValue("request", new String(x.body.getBytes(0, n), StandardCharsets.UTF_8));
        }
        e.log("response to proxy");
    }
}
