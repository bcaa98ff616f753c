package io.bricksllm.proxy;

import io.bricksllm.provider.UsageDialect;
import io.vertx.core.http.HttpServerResponse;

/** The one place that turns a {@link Refusal} into a response, in the error shape of the caller's dialect (its SDK parses it). */
public final class RefusalWriter {
    private RefusalWriter() {}

    public static void write(HttpServerResponse response, Refusal r, UsageDialect dialect) {
        // SDKs (openai, anthropic) wait this long before retrying a 429 instead of retrying within a second
        if (r.retryAfterSeconds() > 0 && !response.headWritten()) response.putHeader("Retry-After", Long.toString(r.retryAfterSeconds()));
        ProxyErrors.write(response, r.status(), dialect.errorBody(r.status(), r.message(), typeOf(r)));
    }

    static String typeOf(Refusal r) {
        return switch (r) {
            case Refusal.BadRequest b -> "invalid_request_error";
            case Refusal.Unauthorized u -> "authentication_error";
            case Refusal.Forbidden f -> "permission_error";
            case Refusal.NotFound n -> "not_found_error";
            case Refusal.TooLarge t -> "request_too_large";
            case Refusal.RateLimited l -> "rate_limit_error";
            case Refusal.OverBudget o -> "rate_limit_error";
            case Refusal.Unavailable u -> "api_error";
            case Refusal.Internal i -> "api_error";
            case Refusal.UpstreamUnreachable u -> "api_error";
            case Refusal.UpstreamTimeout t -> "timeout_error";
        };
    }
}
