package io.bricksllm.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway reads from its environment, validated once at start-up.
 * Storage is SQLite unless {@code postgres} is present; counters are in-process unless {@code redis} is.
 * {@code maxReservationMicros}: the most one request's budget reservation holds ({@code MAX_RESERVATION_USD});
 * {@code allowUnpricedModels}: whether a key with a budget may call a model that cannot be priced ({@code UNPRICED_MODELS});
 * {@code concurrencyLease}: how long a crashed instance can hold a concurrency slot ({@code CONCURRENCY_LEASE});
 * {@code defaultOutputTokens}: the output a reservation counts when the request sets no cap ({@code DEFAULT_OUTPUT_TOKENS});
 * {@code alerts}: spend alerts, present when {@code ALERT_WEBHOOK_URL} is set;
 * {@code eventRetention}, {@code eventBodyRetention}: how long events and their bodies are kept (zero: for ever);
 * {@code eventWebhook}: the event export to a webhook, present when {@code EVENT_WEBHOOK_URL} is set.
 */
public record GatewayConfig(
        int adminPort,
        int proxyPort,
        String bindHost,
        Path sqlitePath,
        Optional<PostgresSettings> postgres,
        Optional<RedisSettings> redis,
        Duration inMemoryDbUpdateInterval,
        String telemetryProvider,
        boolean statsEnabled,
        String statsAddress,
        boolean prometheusEnabled,
        EncryptionKeys encryptionKeys,
        String adminPass,
        Duration proxyTimeout,
        long adminBodyLimitBytes,
        long proxyBodyLimitBytes,
        long proxyBodyMemoryBytes,
        ListenerLimits listenerLimits,
        Optional<Path> priceFile,
        boolean removeUserAgent,
        Duration customPolicyDetectionTimeout,
        String amazonRegion,
        Duration amazonRequestTimeout,
        Duration amazonConnectionTimeout,
        String mode,
        String privacyMode,
        int eventQueueCapacity,
        int eventBatchSize,
        Duration eventFlushInterval,
        int eventWriters,
        Path eventSpoolDir,
        long responseCacheBytes,
        String policyJudgeSettingId,
        String policyJudgeModel,
        String policyJudgeFailure,
        String rateLimitFailurePolicy,
        String budgetFailurePolicy,
        boolean amazonComprehendEnabled,
        Optional<URI> amazonComprehendEndpoint,
        Duration policyScanTimeout,
        long policyScanOffloadBytes,
        long maxReservationMicros,
        boolean allowUnpricedModels,
        Duration concurrencyLease,
        long defaultOutputTokens,
        Optional<AlertSettings> alerts,
        Duration eventRetention,
        Duration eventBodyRetention,
        Optional<EventWebhookSettings> eventWebhook,
        List<String> unusedVariables,
        /** The OTEL_* variables (OpenTelemetry SDK autoconfiguration); tracing is off without OTEL_TRACES_EXPORTER. */
        Map<String, String> otelVariables,
        /** RESPONSE_COST_HEADERS: JSON answers carry their cost and tokens in x-bricksllm-* headers. */
        boolean responseCostHeaders) {

    /** A summary that never holds the admin password (a record's own toString would print it). */
    @Override
    public String toString() {
        return "GatewayConfig[admin " + bindHost + ":" + adminPort + ", proxy " + bindHost + ":" + proxyPort
                + ", storage " + storageDescription() + ", counters " + countersDescription()
                + ", adminPass=" + (adminPass == null || adminPass.isEmpty() ? "<unset>" : "<set>")
                + ", encryption " + encryptionKeys + ", mode " + mode + ", privacy " + privacyMode + "]";
    }

    public boolean production() {
        return "production".equals(mode);
    }

    public boolean strictPrivacy() {
        return "strict".equals(privacyMode);
    }

    public String storageDescription() {
        return postgres.map(p -> "PostgreSQL " + p).orElse("SQLite " + sqlitePath.toAbsolutePath());
    }

    public String countersDescription() {
        return redis.map(r -> "Redis " + r).orElse("in-process");
    }
}
