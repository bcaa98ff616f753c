package io.bricksllm.proxy.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.store.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.bricksllm.proxy.translate.Translation;

/**
 * Builds the upstream request of an exchange: provider URL, filtered caller headers plus the provider
 * credential, and the caller's body bytes — changed only to ask a stream for its usage when its dialect reports none unasked.
 */
public final class UpstreamRequestFactory {
    private static final byte[] INCLUDE_USAGE = "\"stream_options\":{\"include_usage\":true},".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    public record UpstreamCall(RequestOptions options, Buffer body, UpstreamOrigin target) {}

    private final HeaderRules headers;
    private final io.bricksllm.telemetry.tracing.Tracing tracing;
    private final UpstreamOrigin.Cache origins = new UpstreamOrigin.Cache();

    public UpstreamRequestFactory(HeaderRules headers) {
        this(headers, io.bricksllm.telemetry.tracing.Tracing.OFF);
    }

    /** {@code tracing} starts each attempt's CLIENT span as its request is built, and puts its traceparent in it. */
    public UpstreamRequestFactory(HeaderRules headers, io.bricksllm.telemetry.tracing.Tracing tracing) {
        this.headers = headers;
        this.tracing = tracing;
    }

    public UpstreamCall build(Exchange x) {
        if (x.translation != null) return translated(x);
        String query = x.endpoint.forwardQuery() ? QueryKeys.strip(x.request.query(), x.config) : null;
        return build(x, x.request.path(), query);
    }

    /** The upstream request for {@code proxyPath} (a path under the exchange provider's proxy prefix). */
    public UpstreamCall build(Exchange x, String proxyPath, String query) {
        String url = x.provider.upstreamUrl(x.setting, proxyPath, query);
        MultiMap h = headers.upstreamHeaders(x.request.headers());
        Buffer body = x.body == null ? Buffer.buffer() : x.body;
        if (x.info.stream() && x.endpoint.operation().streamUsageOnRequest() && x.provider.dialect().asksStreamUsage()
                && !x.info.includeUsageRequested()) {
            body = withIncludeUsage(x.info, body);
            x.usageChunkInjected = true;
        }
        if (body.length() > 0 || x.request.method().name().equals("POST")) h.set("Content-Length", String.valueOf(body.length()));
        return call(x, x.route != null ? HttpMethod.POST : x.request.method(), url, h, body);
    }

    /**
     * The request of a translated attempt: the translation's path, body and headers (the caller's own headers only
     * when the target speaks the caller's dialect; never its Accept-Encoding, since the answer is read).
     */
    private UpstreamCall translated(Exchange x) {
        Translation.Upstream u = x.translation.encode(x);
        String base = x.provider.baseUrlText(x.setting);
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + u.pathAndQuery();
        MultiMap h = u.callerHeaders() ? headers.upstreamHeaders(x.request.headers()) : MultiMap.caseInsensitiveMultiMap();
        h.remove("Accept-Encoding");
        u.headers().forEach(h::set);
        if (!h.contains("Content-Type")) h.set("Content-Type", "application/json");
        h.set("Content-Length", String.valueOf(u.body().length()));
        return call(x, HttpMethod.POST, url, h, u.body());
    }

    /**
     * The finished request: the provider authorises it last, over exactly the method, URL, headers and body that are
     * sent (Bedrock signs all of them).
     */
    private UpstreamCall call(Exchange x, HttpMethod method, String url, MultiMap h, Buffer body) {
        int pathStart = url.indexOf('/', url.indexOf("://") + 3);
        UpstreamOrigin origin = origins.of(pathStart < 0 ? url : url.substring(0, pathStart));
        tracing.clientStarted(x, method, origin, url, h); // before authorize: a signing provider signs the traceparent too
        x.provider.authorize(x.setting, method.name(), url, h, body);
        RequestOptions options = new RequestOptions().setMethod(method)
                .setSsl(origin.ssl()).setHost(origin.host()).setPort(origin.port())
                .setURI(pathStart < 0 ? "/" : url.substring(pathStart))
                .setHeaders(h);
        return new UpstreamCall(options, body, origin);
    }

    /**
     * Adds {@code stream_options.include_usage=true}, touching as few bytes of the caller's body as possible: the
     * tree (built now if the body is big) only when the caller sent {@code stream_options}, else one copy of the
     * bytes with the field inserted after the opening brace.
     */
    static Buffer withIncludeUsage(RequestInfo info, Buffer body) {
        JsonNode json = info.hasStreamOptions() ? info.json() : null;
        if (json != null && json.has("stream_options")) {
            ObjectNode copy = ((ObjectNode) json).deepCopy();
            JsonNode so = copy.get("stream_options");
            ObjectNode opts = so instanceof ObjectNode o ? o : copy.putObject("stream_options");
            opts.put("include_usage", true);
            return Buffer.buffer(Json.write(copy));
        }
        int length = body.length();
        int brace = 0;
        while (brace < length && body.getByte(brace) != '{') brace++;
        if (brace >= length) return body;
        return Buffer.buffer(length + INCLUDE_USAGE.length).appendBuffer(body, 0, brace + 1).appendBytes(INCLUDE_USAGE)
                .appendBuffer(body, brace + 1, length - brace - 1);
    }
}
