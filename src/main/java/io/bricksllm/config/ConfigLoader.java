package io.bricksllm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link GatewayConfig} from environment variables (names as in the original BricksLLM) and
 * the optional JSON file named by {@code CONFIG_FILE_NAME}, whose snake_case keys override the
 * environment. Any invalid value fails with a {@link ConfigException} naming the variable.
 */
public final class ConfigLoader {
    private static final Set<String> TELEMETRY_PROVIDERS = Set.of("statsd", "prometheus", "none");

    /** Variables of the original BricksLLM that this gateway does not use, and what to use instead. */
    private static final Map<String, String> NOT_USED = new java.util.TreeMap<>(Map.of(
            "OPENAI_API_KEY", "custom policy rules are judged through the provider setting named by POLICY_JUDGE_SETTING_ID",
            "REDIS_WRITE_TIME_OUT", "REDIS_READ_TIME_OUT bounds each whole Redis call",
            "PROMETHEUS_PORT", "/metrics is served on ADMIN_PORT",
            "NUMBER_OF_EVENT_MESSAGE_CONSUMERS", "events are written in batches; see EVENT_WRITERS",
            "ENCRYPTION_ENDPOINT", "credentials are encrypted in-process with ENCRYPTION_KEY",
            "DECRYPTION_ENDPOINT", "credentials are encrypted in-process with ENCRYPTION_KEY",
            "ENCRYPTION_TIMEOUT", "credentials are encrypted in-process with ENCRYPTION_KEY"));

    private final Map<String, String> values;

    private ConfigLoader(Map<String, String> values) {
        this.values = values;
    }

    public static GatewayConfig load(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(env);
        String file = env.get("CONFIG_FILE_NAME");
        if (file != null && !file.isBlank()) merged.putAll(readJsonFile(Path.of(file)));
        return new ConfigLoader(merged).build();
    }

    private static Map<String, String> readJsonFile(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException("CONFIG_FILE_NAME: cannot read " + path + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new ConfigException("CONFIG_FILE_NAME: " + path + " must contain a JSON object");
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            out.put(e.getKey().toUpperCase(Locale.ROOT), v.isValueNode() ? v.asText() : v.toString());
        }
        return out;
    }

    private GatewayConfig build() {
        Optional<PostgresSettings> postgres = Optional.empty();
        String pgHosts = str("POSTGRESQL_HOSTS", "");
        if (!pgHosts.isBlank()) {
            postgres = Optional.of(new PostgresSettings(pgHosts.trim(), port("POSTGRESQL_PORT", 5432),
                    str("POSTGRESQL_DB_NAME", ""), str("POSTGRESQL_USERNAME", ""), str("POSTGRESQL_PASSWORD", ""),
                    oneOf("POSTGRESQL_SSL_MODE", "disable", Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")),
                    nonNegativeDuration("POSTGRESQL_READ_TIME_OUT", "10m"), nonNegativeDuration("POSTGRESQL_WRITE_TIME_OUT", "5s")));
        }
        Optional<RedisSettings> redis = Optional.empty();
        String redisHosts = str("REDIS_HOSTS", "");
        if (!redisHosts.isBlank()) {
            redis = Optional.of(new RedisSettings(redisHosts.trim(), port("REDIS_PORT", 6379), str("REDIS_USERNAME", ""),
                    str("REDIS_PASSWORD", ""), integer("REDIS_DB_START_INDEX", 0, 0, 15),
                    duration("REDIS_READ_TIME_OUT", "1s")));
        }
        if (bool("ENABLE_ENCRYPTION", false)) {
            throw new ConfigException("ENABLE_ENCRYPTION: external secret encryption is not supported by this gateway yet; unset it");
        }
        String priceFile = str("PRICE_FILE", "");
        String dataDir = str("DATA_DIR", "data");
        long maxHeap = Runtime.getRuntime().maxMemory();
        return new GatewayConfig(
                port("ADMIN_PORT", 8001),
                port("PROXY_PORT", 8002),
                str("BIND_HOST", "0.0.0.0"),
                Path.of(str("SQLITE_PATH", dataDir + "/bricksllm.db")),
                postgres,
                redis,
                positiveDuration("IN_MEMORY_DB_UPDATE_INTERVAL", "5s"),
                oneOf("TELEMETRY_PROVIDER", "statsd", TELEMETRY_PROVIDERS),
                bool("STATS_ENABLED", true),
                hostPort("STATS_ADDRESS", "127.0.0.1:8125"),
                bool("PROMETHEUS_ENABLED", true),
                new EncryptionKeys(aesKey("ENCRYPTION_KEY"), aesKey("ENCRYPTION_KEY_PREVIOUS")),
                str("ADMIN_PASS", ""),
                positiveDuration("PROXY_TIMEOUT", "600s"),
                bytes("ADMIN_BODY_LIMIT", 5L << 20),
                bytes("PROXY_BODY_LIMIT", defaultProxyBodyLimit(maxHeap)),
                bytes("PROXY_BODY_MEMORY", maxHeap / 4),
                new ListenerLimits(positiveDuration("HEADER_READ_TIMEOUT", "10s"), positiveDuration("IDLE_CONNECTION_TIMEOUT", "75s"),
                        integer("MAX_CONNECTIONS", 10_000, 1, Integer.MAX_VALUE)),
                priceFile.isBlank() ? Optional.empty() : Optional.of(Path.of(priceFile)),
                bool("REMOVE_USER_AGENT", false),
                positiveDuration("CUSTOM_POLICY_DETECTION_TIMEOUT", "10s"),
                str("AMAZON_REGION", "us-west-2"),
                positiveDuration("AMAZON_REQUEST_TIMEOUT", "5s"),
                positiveDuration("AMAZON_CONNECTION_TIMEOUT", "10s"),
                oneOf("MODE", "dev", Set.of("dev", "production")),
                str("PRIVACY_MODE", "strict"),
                integer("EVENT_QUEUE_CAPACITY", 100_000, 1, Integer.MAX_VALUE),
                integer("EVENT_BATCH_SIZE", 500, 1, 100_000),
                positiveDuration("EVENT_FLUSH_INTERVAL", "200ms"),
                integer("EVENT_WRITERS", 2, 1, 16),
                Path.of(str("EVENT_SPOOL_DIR", dataDir + "/spool")),
                bytes("RESPONSE_CACHE_SIZE", 256L << 20),
                str("POLICY_JUDGE_SETTING_ID", ""),
                str("POLICY_JUDGE_MODEL", "gpt-4o-mini"),
                oneOf("POLICY_JUDGE_FAILURE", "closed", Set.of("open", "closed")),
                oneOf("RATE_LIMIT_FAILURE_POLICY", "fail_open", Set.of("fail_open", "fail_closed")),
                oneOf("BUDGET_FAILURE_POLICY", "fail_closed", Set.of("fail_open", "fail_closed")),
                bool("AMAZON_COMPREHEND_ENABLED", false),
                httpUrl("AMAZON_COMPREHEND_ENDPOINT"),
                positiveDuration("POLICY_SCAN_TIMEOUT", "5s"),
                bytes("POLICY_SCAN_OFFLOAD_BYTES", 32L << 10),
                usdMicros("MAX_RESERVATION_USD", "1"),
                "allow".equals(oneOf("UNPRICED_MODELS", "refuse", Set.of("allow", "refuse"))),
                positiveDuration("CONCURRENCY_LEASE", "60s"),
                integer("DEFAULT_OUTPUT_TOKENS", 1024, 1, 10_000_000),
                alerts(),
                eventRetention(),
                bodyRetention(),
                eventWebhook(dataDir),
                notUsed(),
                otelVariables(),
                bool("RESPONSE_COST_HEADERS", false));
    }

    /** The OpenTelemetry SDK reads these itself (autoconfiguration); they are only handed over. */
    private Map<String, String> otelVariables() {
        Map<String, String> out = new java.util.TreeMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith("OTEL_") && value != null) out.put(name, value);
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** One line per variable that is set but not used here (never its value), for a start-up warning. */
    private List<String> notUsed() {
        List<String> out = new ArrayList<>();
        NOT_USED.forEach((name, instead) -> {
            if (!str(name, "").isBlank()) out.add(name + " is set but not used: " + instead);
        });
        return List.copyOf(out);
    }

    /**
     * 64 MiB, or a sixth of the heap when that is less (32 MiB at the benchmark's 192 MiB): a body at the limit, its
     * copies on the way out and the other requests must fit beside each other; a sixth still admits the biggest
     * upload a provider documents (25 MB audio files).
     */
    static long defaultProxyBodyLimit(long maxHeap) {
        return Math.min(64L << 20, maxHeap / 6);
    }

    private String str(String name, String dflt) {
        String v = values.get(name);
        return v == null ? dflt : v;
    }

    private int port(String name, int dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return dflt;
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": \"" + v + "\" is not a port number (0-65535)");
    }

    private int integer(String name, int dflt, int min, int max) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": \"" + v + "\" is not a whole number between " + min + " and " + max);
    }

    private boolean bool(String name, boolean dflt) {
        String v = str(name, "").trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) return dflt;
        return switch (v) {
            case "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no" -> false;
            default -> throw new ConfigException(name + ": \"" + v + "\" is not a boolean (true or false)");
        };
    }

    private Duration duration(String name, String dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) v = dflt;
        try {
            return GoDuration.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": \"" + v + "\" is not a duration (examples: 500ms, 5s, 10m, 1h30m)");
        }
    }

    private Duration nonNegativeDuration(String name, String dflt) {
        Duration d = duration(name, dflt);
        if (d.isNegative()) throw new ConfigException(name + ": must not be negative (0 means no limit)");
        return d;
    }

    /** 32 bytes in base64 (as {@code openssl rand -base64 32} prints), or null when unset. The value is never echoed. */
    private byte[] aesKey(String name) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return null;
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != 32) {
            throw new ConfigException(name + ": must be 32 random bytes in base64, as `openssl rand -base64 32` prints");
        }
        return key;
    }

    /** A retention: days ({@code 90d}) or a Go duration; {@code 0} keeps for ever. */
    private Duration retention(String name, String dflt) {
        String v = str(name, dflt).trim();
        try {
            Duration d = v.matches("\\d+d") ? Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)))
                    : v.equals("0") ? Duration.ZERO : GoDuration.parse(v);
            if (d.isNegative()) throw new IllegalArgumentException("negative");
            if (!d.isZero() && d.compareTo(Duration.ofHours(1)) < 0) throw new ConfigException(name + ": keep events at least 1h (or 0 for ever)");
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": \"" + v + "\" is not a retention (examples: 90d, 720h, 0 for ever)");
        }
    }

    /** EVENT_RETENTION (default 90d): at least 31 days, since monthly budget periods are rebuilt from the events kept. */
    private Duration eventRetention() {
        Duration d = retention("EVENT_RETENTION", "90d");
        if (!d.isZero() && d.compareTo(Duration.ofDays(31)) < 0) {
            throw new ConfigException("EVENT_RETENTION: keep events at least 31d (monthly budget periods are rebuilt from them), or 0 for ever");
        }
        return d;
    }

    /** EVENT_BODY_RETENTION (default 30d), never longer than EVENT_RETENTION: a body cannot outlive its event. */
    private Duration bodyRetention() {
        Duration events = eventRetention();
        Duration bodies = retention("EVENT_BODY_RETENTION", "30d");
        if (events.isZero()) return bodies;
        if (bodies.isZero() || bodies.compareTo(events) > 0) {
            if (str("EVENT_BODY_RETENTION", "").isBlank()) return events; // the default yields to a shorter event retention
            throw new ConfigException("EVENT_BODY_RETENTION: cannot be longer than EVENT_RETENTION (" + str("EVENT_RETENTION", "90d") + ")");
        }
        return bodies;
    }

    private Duration positiveDuration(String name, String dflt) {
        Duration d = duration(name, dflt);
        if (d.isNegative() || d.isZero()) throw new ConfigException(name + ": must be a positive duration");
        return d;
    }

    private String oneOf(String name, String dflt, Set<String> allowed) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return dflt;
        if (!allowed.contains(v)) throw new ConfigException(name + ": \"" + v + "\" is not one of " + new java.util.TreeSet<>(allowed));
        return v;
    }

    private String hostPort(String name, String dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return dflt;
        int colon = v.lastIndexOf(':');
        if (colon <= 0) throw new ConfigException(name + ": \"" + v + "\" must be host:port");
        try {
            int p = Integer.parseInt(v.substring(colon + 1));
            if (p > 0 && p <= 65535) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": \"" + v + "\" must be host:port");
    }

    /** An absolute http(s) URL, or empty when the variable is unset or blank. */
    private Optional<URI> httpUrl(String name) {
        return absoluteUrl(name, v -> name + ": \"" + v + "\" is not an http(s) URL (example: https://comprehend.us-west-2.amazonaws.com)");
    }

    /** {@code problem}: the error for a value that is no absolute http(s) URL, given the value. */
    private Optional<URI> absoluteUrl(String name, java.util.function.UnaryOperator<String> problem) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return Optional.empty();
        try {
            URI u = new URI(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return Optional.of(u);
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw new ConfigException(problem.apply(v));
    }

    /** Spend alerts: off unless ALERT_WEBHOOK_URL is set; thresholds are validated even then, so a typo shows at once. */
    private Optional<AlertSettings> alerts() {
        List<Integer> thresholds = percents("ALERT_THRESHOLDS", "50,80,100");
        String secret = str("ALERT_WEBHOOK_SECRET", "");
        Optional<URI> url = webhookUrl("ALERT_WEBHOOK_URL");
        return url.map(u -> new AlertSettings(u, secret.isEmpty() ? Optional.empty() : Optional.of(secret), thresholds));
    }

    /**
     * The event webhook: off unless EVENT_WEBHOOK_URL is set; the other variables are validated even then, so a typo
     * shows at once. The spool defaults beside the event spool, in the data directory.
     */
    private Optional<EventWebhookSettings> eventWebhook(String dataDir) {
        String secret = str("EVENT_WEBHOOK_SECRET", "");
        int batchSize = integer("EVENT_WEBHOOK_BATCH_SIZE", 500, 1, 10_000);
        Duration maxDelay = positiveDuration("EVENT_WEBHOOK_MAX_DELAY", "1s");
        if (maxDelay.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException("EVENT_WEBHOOK_MAX_DELAY: at most 10m (a batch waits no longer for more events)");
        }
        Duration timeout = positiveDuration("EVENT_WEBHOOK_TIMEOUT", "10s");
        if (timeout.compareTo(Duration.ofMinutes(10)) > 0) throw new ConfigException("EVENT_WEBHOOK_TIMEOUT: at most 10m");
        long spoolMax = bytes("EVENT_WEBHOOK_SPOOL_MAX", 1L << 30);
        if (spoolMax < (1L << 20)) throw new ConfigException("EVENT_WEBHOOK_SPOOL_MAX: at least 1MiB");
        Path spoolDir = Path.of(str("EVENT_WEBHOOK_SPOOL_DIR", dataDir + "/webhook-spool"));
        return webhookUrl("EVENT_WEBHOOK_URL").map(u -> new EventWebhookSettings(u,
                secret.isEmpty() ? Optional.empty() : Optional.of(secret), batchSize, maxDelay, spoolDir, timeout, spoolMax));
    }

    /** An absolute http(s) URL whose text is never echoed (a webhook URL may carry a token), or empty when unset. */
    private Optional<URI> webhookUrl(String name) {
        return absoluteUrl(name, v -> name + ": is not an absolute http(s) URL (example: https://hooks.example.com/bricksllm)");
    }

    /** Comma-separated whole percents, 1 to 1000, each once; returned ascending. */
    private List<Integer> percents(String name, String dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) v = dflt;
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String part : v.split(",", -1)) {
            String p = part.trim();
            if (p.endsWith("%")) p = p.substring(0, p.length() - 1).trim();
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 1000 || !out.add(n)) {
                throw new ConfigException(name + ": \"" + v + "\" must be distinct whole percents of a budget between 1 and 1000, "
                        + "separated by commas (example: 50,80,100)");
            }
        }
        return List.copyOf(out);
    }

    /** The largest amount {@link #usdMicros} accepts: far above any one request, far below a micro-dollar long's range. */
    static final java.math.BigDecimal MAX_USD = new java.math.BigDecimal("1000000");

    /** A positive amount of US dollars (up to {@link #MAX_USD}), in micro-dollars. */
    private long usdMicros(String name, String dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) v = dflt;
        try {
            java.math.BigDecimal usd = new java.math.BigDecimal(v);
            // range first: "1e999999999" must not be expanded into a number of a billion digits
            if (usd.signum() > 0 && usd.compareTo(MAX_USD) <= 0) {
                return usd.movePointRight(6).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": \"" + v + "\" is not an amount of US dollars above 0 and at most " + MAX_USD.toPlainString()
                + " (examples: 1, 0.25, 5)");
    }

    private long bytes(String name, long dflt) {
        String v = str(name, "").trim();
        if (v.isEmpty()) return dflt;
        String upper = v.toUpperCase(Locale.ROOT);
        long mult = 1;
        for (var unit : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"}, {"B", "1"}}) {
            if (upper.endsWith(unit[0])) {
                mult = Long.parseLong(unit[1]);
                upper = upper.substring(0, upper.length() - unit[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(upper);
            if (n > 0) return Math.multiplyExact(n, mult); // an overflow must not become a negative limit
        } catch (NumberFormatException | ArithmeticException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": \"" + v + "\" is not a size (examples: 5242880, 5MiB, 64MiB)");
    }
}
