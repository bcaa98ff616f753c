package io.bricksllm.proxy;

import io.bricksllm.provider.UsageDialect;
import io.vertx.core.http.HttpMethod;

/**
 * One entry of the endpoint catalogue: a proxied method + path template (with {@code :param} segments,
 * as the original registered them — allowedPaths compare against this template), the provider whose
 * settings and adapter serve it, how its body is read, and how it is metered. {@code ingress} is the API the
 * caller speaks when it is not the provider's own (the original's Bedrock paths take Anthropic's Messages API):
 * the target stage then attaches the translation between the two; null when bytes pass as sent.
 */
public record Endpoint(HttpMethod method, String template, String provider, BodyKind body, Operation operation,
                       boolean forwardQuery, UsageDialect ingress) {
    /** An endpoint whose caller speaks the provider's own API. */
    public Endpoint(HttpMethod method, String template, String provider, BodyKind body, Operation operation, boolean forwardQuery) {
        this(method, template, provider, body, operation, forwardQuery, null);
    }

    /** The endpoint template of requests that matched no endpoint (a metric tag: never the concrete path). */
    public static final String UNMATCHED = "unmatched";

    /** What a request is until the resolve stage finds what it is for (and stays, when nothing serves it). */
    public static Endpoint unmatched(HttpMethod method) {
        return new Endpoint(method, UNMATCHED, "", BodyKind.OPAQUE, Operation.PASS_THROUGH, false);
    }

    /** The provider of the unified endpoints: the target stage picks the real one from the request's model. */
    public static final String UNIFIED = "unified";

    public static Endpoint unified(HttpMethod m, String template, Operation op) {
        return new Endpoint(m, template, UNIFIED, m == HttpMethod.GET ? BodyKind.OPAQUE : BodyKind.JSON, op, false);
    }

    /** A unified endpoint whose caller speaks {@code ingress} (Anthropic's Messages API at {@code /v1/messages}). */
    public static Endpoint unified(String template, Operation op, UsageDialect ingress) {
        return new Endpoint(HttpMethod.POST, template, UNIFIED, BodyKind.JSON, op, false, java.util.Objects.requireNonNull(ingress));
    }

    /** One of the OpenAI-compatible endpoints that reach every provider ({@code /v1/chat/completions}, …). */
    public boolean unified() {
        return UNIFIED.equals(provider);
    }

    public static Endpoint json(HttpMethod m, String template, String provider, Operation op) {
        return new Endpoint(m, template, provider, BodyKind.JSON, op, true);
    }

    public static Endpoint multipart(String template, String provider, Operation op) {
        return new Endpoint(HttpMethod.POST, template, provider, BodyKind.MULTIPART, op, true);
    }

    /** A JSON POST in the {@code ingress} API, translated for {@code provider} (its query string is not forwarded). */
    public static Endpoint translated(String template, String provider, Operation op, UsageDialect ingress) {
        return new Endpoint(HttpMethod.POST, template, provider, BodyKind.JSON, op, false, java.util.Objects.requireNonNull(ingress));
    }

    public static Endpoint opaque(HttpMethod m, String template, String provider) {
        return new Endpoint(m, template, provider, BodyKind.OPAQUE, Operation.PASS_THROUGH, true);
    }
}
