package io.bricksllm.proxy;

import io.bricksllm.provider.Provider;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of one proxied request, shared by the pipeline stages. Confined to the request's event
 * loop: no synchronisation, and no stage may touch it from another thread.
 */
public final class Exchange {
    public final HttpServerRequest request;
    /** What the request is for: {@link Endpoint#unmatched} until the resolve stage finds it. */
    public Endpoint endpoint;
    /** The provider serving the request: known at resolution on native paths, chosen by the target stage on unified ones. */
    public Provider provider;
    public final ConfigSnapshot config;
    public final Instant receivedAt;
    public final long startNanos;
    public final String correlationId;

    // set by the header stage
    public Duration timeout;
    public String customId = "";
    public String metadata;

    // set by authentication
    public ApiKey key;
    public List<ProviderSetting> compatibleSettings = List.of();
    public ProviderSetting setting;

    // set by body reading
    public Buffer body;
    public RequestInfo info = RequestInfo.NONE;
    /** Bytes of the gateway's body memory this request holds (BodyStage gives them back). */
    public long bodyBytesHeld;

    /** The end user the request's user id resolved to (BEHAVIOUR.md §5.7); null when none or ambiguous. */
    public EndUser user;
    /**
     * The team the request counts against: its key's, else its end user's (one team per request, so the team's spend
     * is the sum of the events that name it, and rebuilding budgets from events is exact); "" when none.
     */
    public String teamId() {
        if (key != null && !key.teamId().isEmpty()) return key.teamId();
        return user == null ? "" : user.teamId();
    }

    /** What admission holds at every level (slots, reservations, leases) until the request ends; null when nothing. */
    public io.bricksllm.limits.Ticket limitTicket;
    public String policyAction = "";
    /** Which entities and rules fired (names, never values). */
    public String policyFindings = "";
    /**
     * The body as events and logs keep it, when a policy made it differ from {@link #body}: values it detected
     * but did not redact (a blocked request's, a warning's) are masked there; empty = keep none. Null = body.
     */
    public Buffer recordedBody;

    /** The request body for events and logs (see {@link #recordedBody}). */
    public Buffer bodyToRecord() {
        return recordedBody != null ? recordedBody : body;
    }

    /**
     * How this attempt's request and answer are rewritten for its target (unified endpoint, cross-dialect route
     * steps); null when the caller speaks the provider's own API and bytes pass as sent.
     */
    public io.bricksllm.proxy.translate.Translation translation;

    /** Set when the gateway answers the request itself instead of forwarding it. */
    public LocalAnswer answeredHere;

    /** The provider events, logs and metrics name: the one that answered, else the one chosen, else the endpoint's. */
    public String providerName() {
        if (answeredBy != null) return answeredBy;
        return provider != null && route == null ? provider.name() : endpoint.provider();
    }

    /** The dialect the caller speaks, in which refusals and cut streams are written. */
    public io.bricksllm.provider.UsageDialect callerDialect() {
        if (translation != null) return translation.callerDialect();
        if (endpoint.ingress() != null) return endpoint.ingress(); // refused before its translation was attached
        if (endpoint.unified() || provider == null) return io.bricksllm.provider.UsageDialect.OPENAI;
        return provider.dialect();
    }

    // set when forwarding
    /** The gateway added stream_options.include_usage; the extra usage chunk is removed before the caller sees it. */
    public boolean usageChunkInjected;
    /** The meter rewrites events of the stream (adds usage.cost): the upstream's Content-Length does not hold. */
    public boolean streamLengthChanges;
    /** Set by the relay when the upstream body ended normally (not cut by a failure, timeout or disconnect). */
    public boolean upstreamCompleted;
    /** When non-null, the relay copies the response here (bounded; set back to null if too large). */
    public Buffer responseCapture;
    public String responseContentType;

    // routes
    public Route route;
    /** The key's setting for each provider the route's steps use. */
    public Map<String, ProviderSetting> routeSettings = Map.of();
    /** Which provider produced the answer ("cached" for a cache hit); null outside routes. */
    public String answeredBy;
    public int routeStep;
    public int routeAttempt;
    /** Why this route attempt was made (issue 22: initial, retry, failover, an error class, budget); "" off routes. */
    public String attemptReason = "";
    /** When the upstream's status line arrived ({@link System#nanoTime}; 0 = not yet). */
    public long upstreamAnsweredNanos;
    /** The key's setting group the setting was picked from by its settingStrategy, and the setting's position; else null. */
    public io.bricksllm.route.balance.TargetGroup settingGroup;
    public int settingIndex = -1;
    /** Spend of failed attempts that the provider billed; settled with the request. */
    public long extraCostMicros;

    /** A copy for one attempt of a route step: same request and key, another provider, setting and body. */
    public Exchange forAttempt(Provider stepProvider, ProviderSetting stepSetting, RequestInfo stepInfo, Buffer stepBody) {
        Exchange a = new Exchange(request, endpoint, stepProvider, config, receivedAt, startNanos, correlationId);
        a.timeout = timeout;
        a.customId = customId;
        a.metadata = metadata;
        a.key = key;
        a.user = user; // its team names the attempt's events too
        a.compatibleSettings = List.of(stepSetting);
        a.setting = stepSetting;
        a.body = stepBody;
        a.info = stepInfo;
        a.route = route;
        a.policyAction = policyAction;
        a.policyFindings = policyFindings;
        a.responseCapture = responseCapture == null ? null : Buffer.buffer();
        a.serverSpan = serverSpan;
        return a;
    }

    // tracing (null while tracing is off): spans live here, not in a thread-local context, across async hops
    /** The request's SERVER span. */
    public io.opentelemetry.api.trace.Span serverSpan;
    /** This attempt's CLIENT span (each route attempt is its own exchange). */
    public io.opentelemetry.api.trace.Span clientSpan;

    /** The pipeline ended this request (answered, unwound, recorded): nothing may end it again. */
    boolean ended;

    public Exchange(HttpServerRequest request, Endpoint endpoint, Provider provider,
                    ConfigSnapshot config, Instant receivedAt, long startNanos, String correlationId) {
        this.request = request;
        this.endpoint = endpoint;
        this.provider = provider;
        this.config = config;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.correlationId = correlationId;
    }
}
