package io.bricksllm.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the gateway reads from its environment, validated once at start-up.
 * Storage is SQLite unless {@code postgres} is present; counters are in-process unless {@code redis} is.
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
        String adminPass,
        Duration proxyTimeout,
        long adminBodyLimitBytes,
        long proxyBodyLimitBytes,
        Optional<Path> priceFile,
        boolean removeUserAgent,
        String openAiApiKey,
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
        long policyScanOffloadBytes) {

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
