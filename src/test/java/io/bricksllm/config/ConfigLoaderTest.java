package io.bricksllm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BEHAVIOUR.md §2: the original's variable names, defaults and JSON-file override; bad values stop start-up. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheOriginalsWithEmbeddedStorage() {
        GatewayConfig c = ConfigLoader.load(Map.of());
        assertThat(c.adminPort()).isEqualTo(8001);
        assertThat(c.proxyPort()).isEqualTo(8002);
        assertThat(c.postgres()).isEmpty();
        assertThat(c.redis()).isEmpty();
        assertThat(c.storageDescription()).startsWith("SQLite");
        assertThat(c.countersDescription()).isEqualTo("in-process");
        assertThat(c.inMemoryDbUpdateInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.telemetryProvider()).isEqualTo("statsd");
        assertThat(c.statsEnabled()).isTrue();
        assertThat(c.statsAddress()).isEqualTo("127.0.0.1:8125");
        assertThat(c.prometheusEnabled()).isTrue();
        assertThat(c.adminPass()).isEmpty();
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.adminBodyLimitBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(c.proxyBodyLimitBytes()).isEqualTo(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 6));
        assertThat(c.proxyBodyMemoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(c.listenerLimits()).isEqualTo(new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(75), 10_000));
        assertThat(c.removeUserAgent()).isFalse();
        assertThat(c.encryptionKeys()).isEqualTo(EncryptionKeys.NONE);
        // deliberately 10 s, not the original's 10m (which it never applied): the judge sits on the request path
        assertThat(c.customPolicyDetectionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.amazonRegion()).isEqualTo("us-west-2");
        assertThat(c.amazonRequestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.amazonConnectionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.amazonComprehendEnabled()).as("the language backend is opt-in").isFalse();
        assertThat(c.amazonComprehendEndpoint()).isEmpty();
        assertThat(c.production()).isFalse();
        assertThat(c.strictPrivacy()).isTrue();
    }

    @Test
    void postgresqlHostsSwitchesStorageToPostgresWithTheOriginalDefaults() {
        GatewayConfig c = ConfigLoader.load(Map.of("POSTGRESQL_HOSTS", "db.internal"));
        PostgresSettings pg = c.postgres().orElseThrow();
        assertThat(pg.host()).isEqualTo("db.internal");
        assertThat(pg.port()).isEqualTo(5432);
        assertThat(pg.database()).isEmpty();
        assertThat(pg.username()).isEmpty();
        assertThat(pg.password()).isEmpty();
        assertThat(pg.sslMode()).isEqualTo("disable");
        assertThat(pg.readTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(pg.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.storageDescription()).startsWith("PostgreSQL");
    }

    @Test
    void everyPostgresqlVariableKeepsItsName() {
        GatewayConfig c = ConfigLoader.load(Map.of(
                "POSTGRESQL_HOSTS", "pg.example", "POSTGRESQL_PORT", "6543", "POSTGRESQL_DB_NAME", "bricks",
                "POSTGRESQL_USERNAME", "alice", "POSTGRESQL_PASSWORD", "s3cret-pw", "POSTGRESQL_SSL_MODE", "require",
                "POSTGRESQL_READ_TIME_OUT", "2m", "POSTGRESQL_WRITE_TIME_OUT", "750ms"));
        assertThat(c.postgres()).contains(new PostgresSettings("pg.example", 6543, "bricks", "alice", "s3cret-pw",
                "require", Duration.ofMinutes(2), Duration.ofMillis(750)));
        assertThat(c.postgres().orElseThrow().jdbcUrl()).startsWith("jdbc:postgresql://pg.example:6543/bricks?sslmode=require");
    }

    @Test
    void postgresPasswordNeverAppearsInTheDescription() {
        GatewayConfig c = ConfigLoader.load(Map.of("POSTGRESQL_HOSTS", "pg", "POSTGRESQL_PASSWORD", "hunter2-pw"));
        assertThat(c.storageDescription()).doesNotContain("hunter2-pw");
        assertThat(c.postgres().orElseThrow().jdbcUrl()).doesNotContain("hunter2-pw");
    }

    @Test
    void theAdminPasswordNeverAppearsWhenTheConfigurationIsPrinted() {
        GatewayConfig c = ConfigLoader.load(Map.of("ADMIN_PASS", "s3cret-admin-pass", "POSTGRESQL_HOSTS", "pg",
                "POSTGRESQL_PASSWORD", "hunter2-pw"));
        assertThat(c.toString()).doesNotContain("s3cret-admin-pass").doesNotContain("hunter2-pw").contains("adminPass=<set>");
    }

    @Test
    void everyRedisVariableKeepsItsName() {
        GatewayConfig c = ConfigLoader.load(Map.of(
                "REDIS_HOSTS", "cache.example", "REDIS_PORT", "6380", "REDIS_USERNAME", "bob", "REDIS_PASSWORD", "pw",
                "REDIS_DB_START_INDEX", "3", "REDIS_READ_TIME_OUT", "2s"));
        assertThat(c.redis()).contains(new RedisSettings("cache.example", 6380, "bob", "pw", 3, Duration.ofSeconds(2)));
        assertThat(c.countersDescription()).startsWith("Redis").doesNotContain("pw");
    }

    @Test
    void redisDefaultsAreTheOriginals() {
        RedisSettings r = ConfigLoader.load(Map.of("REDIS_HOSTS", "localhost")).redis().orElseThrow();
        assertThat(r.port()).isEqualTo(6379);
        assertThat(r.dbStartIndex()).isZero();
        assertThat(r.readTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyOtherVariableKeepsItsName() {
        Map<String, String> env = new HashMap<>();
        env.put("ADMIN_PORT", "9001");
        env.put("PROXY_PORT", "9002");
        env.put("IN_MEMORY_DB_UPDATE_INTERVAL", "1s");
        env.put("TELEMETRY_PROVIDER", "prometheus");
        env.put("STATS_ENABLED", "false");
        env.put("STATS_ADDRESS", "statsd.local:9125");
        env.put("PROMETHEUS_ENABLED", "false");
        env.put("ADMIN_PASS", "let-me-in");
        env.put("PROXY_TIMEOUT", "30s");
        env.put("CUSTOM_POLICY_DETECTION_TIMEOUT", "20s");
        env.put("AMAZON_REGION", "eu-west-1");
        env.put("AMAZON_REQUEST_TIMEOUT", "3s");
        env.put("AMAZON_CONNECTION_TIMEOUT", "4s");
        env.put("REMOVE_USER_AGENT", "true");
        env.put("ENABLE_ENCRYPTION", "false");
        GatewayConfig c = ConfigLoader.load(env);
        assertThat(c.adminPort()).isEqualTo(9001);
        assertThat(c.proxyPort()).isEqualTo(9002);
        assertThat(c.inMemoryDbUpdateInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.telemetryProvider()).isEqualTo("prometheus");
        assertThat(c.statsEnabled()).isFalse();
        assertThat(c.statsAddress()).isEqualTo("statsd.local:9125");
        assertThat(c.prometheusEnabled()).isFalse();
        assertThat(c.adminPass()).isEqualTo("let-me-in");
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.customPolicyDetectionTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.amazonRegion()).isEqualTo("eu-west-1");
        assertThat(c.amazonRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.amazonConnectionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.removeUserAgent()).isTrue();
    }

    @Test
    void comprehendIsEnabledExplicitlyAndItsEndpointCanBeOverridden() {
        GatewayConfig c = ConfigLoader.load(Map.of("AMAZON_COMPREHEND_ENABLED", "true",
                "AMAZON_COMPREHEND_ENDPOINT", " http://127.0.0.1:4566 "));
        assertThat(c.amazonComprehendEnabled()).isTrue();
        assertThat(c.amazonComprehendEndpoint()).contains(java.net.URI.create("http://127.0.0.1:4566"));
        assertThat(ConfigLoader.load(Map.of("AMAZON_COMPREHEND_ENDPOINT", "")).amazonComprehendEndpoint()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"true, true", "TRUE, true", "True, true", "1, true", "t, true", "false, false", "FALSE, false", "0, false", "f, false"})
    void booleansAcceptGoSpellings(String text, boolean expected) {
        assertThat(ConfigLoader.load(Map.of("REMOVE_USER_AGENT", text)).removeUserAgent()).isEqualTo(expected);
    }

    @Test
    void reservationCapAndUnpricedModelsDefaultToOneDollarAndRefuse() {
        GatewayConfig c = ConfigLoader.load(Map.of());
        assertThat(c.maxReservationMicros()).isEqualTo(1_000_000);
        assertThat(c.allowUnpricedModels()).isFalse();
        GatewayConfig set = ConfigLoader.load(Map.of("MAX_RESERVATION_USD", "0.25", "UNPRICED_MODELS", "allow"));
        assertThat(set.maxReservationMicros()).isEqualTo(250_000);
        assertThat(set.allowUnpricedModels()).isTrue();
        assertThat(ConfigLoader.load(Map.of("UNPRICED_MODELS", "refuse")).allowUnpricedModels()).isFalse();
        assertThat(ConfigLoader.load(Map.of("MAX_RESERVATION_USD", "0.0000001")).maxReservationMicros()).as("never rounded to nothing").isEqualTo(1);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("MAX_RESERVATION_USD", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MAX_RESERVATION_USD").hasMessageContaining("\"0\"");
    }

    @Test
    void spendAlertsAreOffWithoutAWebhookAndTheirThresholdsAreValidated() {
        assertThat(ConfigLoader.load(Map.of()).alerts()).isEmpty();
        assertThat(ConfigLoader.load(Map.of("ALERT_WEBHOOK_SECRET", "x")).alerts()).as("a secret alone sends nothing").isEmpty();
        AlertSettings dflt = ConfigLoader.load(Map.of("ALERT_WEBHOOK_URL", "https://hooks.example.com/b?token=t0k")).alerts().orElseThrow();
        assertThat(dflt.thresholds()).containsExactly(50, 80, 100);
        assertThat(dflt.secret()).isEmpty();
        assertThat(dflt.toString()).doesNotContain("t0k");
        AlertSettings set = ConfigLoader.load(Map.of("ALERT_WEBHOOK_URL", "http://127.0.0.1:9000/hook",
                "ALERT_WEBHOOK_SECRET", "very-secret", "ALERT_THRESHOLDS", " 90, 25%,120 ")).alerts().orElseThrow();
        assertThat(set.thresholds()).as("ascending").containsExactly(25, 90, 120);
        assertThat(set.secret()).contains("very-secret");
        assertThat(set.toString()).doesNotContain("very-secret");
        for (String bad : new String[] {"0", "50,50", "fifty", "50,,80", "1001", "-5", "50.5"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("ALERT_THRESHOLDS", bad)))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("ALERT_THRESHOLDS").hasMessageContaining("50,80,100");
        }
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("ALERT_WEBHOOK_URL", "ftp://x/secret-token")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ALERT_WEBHOOK_URL").hasMessageNotContaining("secret-token");
    }

    @Test
    void theEventWebhookIsOffWithoutAUrlAndItsSettingsAreValidated() {
        assertThat(ConfigLoader.load(Map.of()).eventWebhook()).isEmpty();
        assertThat(ConfigLoader.load(Map.of("EVENT_WEBHOOK_SECRET", "x")).eventWebhook()).as("a secret alone sends nothing").isEmpty();
        EventWebhookSettings dflt = ConfigLoader.load(Map.of("DATA_DIR", "/var/lib/gw",
                "EVENT_WEBHOOK_URL", "https://hooks.example.com/e?token=t0k")).eventWebhook().orElseThrow();
        assertThat(dflt.batchSize()).isEqualTo(500);
        assertThat(dflt.maxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(dflt.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(dflt.spoolMaxBytes()).isEqualTo(1L << 30);
        assertThat(dflt.spoolDir()).isEqualTo(Path.of("/var/lib/gw/webhook-spool"));
        assertThat(dflt.secret()).isEmpty();
        assertThat(dflt.toString()).doesNotContain("t0k");
        EventWebhookSettings set = ConfigLoader.load(Map.of("EVENT_WEBHOOK_URL", "http://127.0.0.1:9000/hook",
                "EVENT_WEBHOOK_SECRET", "very-secret", "EVENT_WEBHOOK_BATCH_SIZE", "50", "EVENT_WEBHOOK_MAX_DELAY", "250ms",
                "EVENT_WEBHOOK_SPOOL_DIR", "/spool/w", "EVENT_WEBHOOK_TIMEOUT", "3s", "EVENT_WEBHOOK_SPOOL_MAX", "64MiB"))
                .eventWebhook().orElseThrow();
        assertThat(set.secret()).contains("very-secret");
        assertThat(set.toString()).doesNotContain("very-secret");
        assertThat(set.batchSize()).isEqualTo(50);
        assertThat(set.maxDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(set.spoolDir()).isEqualTo(Path.of("/spool/w"));
        assertThat(set.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(set.spoolMaxBytes()).isEqualTo(64L << 20);
        // checked even without a URL, so that a typo shows before the webhook is switched on
        Map<String, String> bad = Map.of("EVENT_WEBHOOK_BATCH_SIZE", "0", "EVENT_WEBHOOK_MAX_DELAY", "0s",
                "EVENT_WEBHOOK_TIMEOUT", "soon", "EVENT_WEBHOOK_SPOOL_MAX", "1000");
        bad.forEach((name, value) -> assertThatThrownBy(() -> ConfigLoader.load(Map.of(name, value)))
                .as(name).isInstanceOf(ConfigException.class).hasMessageContaining(name));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_WEBHOOK_BATCH_SIZE", "10001")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_WEBHOOK_MAX_DELAY", "1h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("EVENT_WEBHOOK_MAX_DELAY");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_WEBHOOK_URL", "ftp://x/secret-token")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("EVENT_WEBHOOK_URL").hasMessageNotContaining("secret-token");
    }

    @Test
    void eventRetentionsHaveTheirDefaultsBoundsAndOrder() {
        GatewayConfig dflt = ConfigLoader.load(Map.of());
        assertThat(dflt.eventRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(dflt.eventBodyRetention()).isEqualTo(Duration.ofDays(30));
        GatewayConfig set = ConfigLoader.load(Map.of("EVENT_RETENTION", "400d", "EVENT_BODY_RETENTION", "72h"));
        assertThat(set.eventRetention()).isEqualTo(Duration.ofDays(400));
        assertThat(set.eventBodyRetention()).isEqualTo(Duration.ofHours(72));
        assertThat(ConfigLoader.load(Map.of("EVENT_RETENTION", "0")).eventRetention()).as("for ever").isZero();
        assertThat(ConfigLoader.load(Map.of("EVENT_RETENTION", "31d")).eventBodyRetention()).as("the default body retention fits")
                .isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_RETENTION", "7d"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("EVENT_RETENTION").hasMessageContaining("31d");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_RETENTION", "40d", "EVENT_BODY_RETENTION", "60d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("EVENT_BODY_RETENTION");
        for (String bad : new String[] {"ninety", "-5d", "30m", "9x"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("EVENT_BODY_RETENTION", bad))).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("EVENT_BODY_RETENTION");
        }
    }

    @Test
    void emptyValueMeansDefault() {
        GatewayConfig c = ConfigLoader.load(Map.of("ADMIN_PORT", "", "PROXY_TIMEOUT", "", "STATS_ENABLED", ""));
        assertThat(c.adminPort()).isEqualTo(8001);
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.statsEnabled()).isTrue();
    }

    @Test
    void configFileOverridesTheEnvironment() throws Exception {
        Path file = dir.resolve("bricks.json");
        Files.writeString(file, """
                {"admin_pass": "from-file", "proxy_timeout": "45s", "stats_enabled": false,
                 "redis_hosts": "redis.file", "redis_db_start_index": 2, "postgresql_hosts": "pg.file",
                 "postgresql_port": 7777, "telemetry_provider": "prometheus", "amazon_region": null}
                """);
        GatewayConfig c = ConfigLoader.load(Map.of(
                "CONFIG_FILE_NAME", file.toString(), "ADMIN_PASS", "from-env", "PROXY_TIMEOUT", "10s",
                "STATS_ENABLED", "true", "AMAZON_REGION", "ap-south-1", "ADMIN_PORT", "9999"));
        assertThat(c.adminPass()).isEqualTo("from-file");
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.statsEnabled()).isFalse();
        assertThat(c.redis().orElseThrow().host()).isEqualTo("redis.file");
        assertThat(c.redis().orElseThrow().dbStartIndex()).isEqualTo(2);
        assertThat(c.postgres().orElseThrow().host()).isEqualTo("pg.file");
        assertThat(c.postgres().orElseThrow().port()).isEqualTo(7777);
        assertThat(c.telemetryProvider()).isEqualTo("prometheus");
        assertThat(c.amazonRegion()).as("null in the file leaves the environment alone").isEqualTo("ap-south-1");
        assertThat(c.adminPort()).as("keys absent from the file keep the environment").isEqualTo(9999);
    }

    @Test
    void invalidValueInTheConfigFileNamesTheVariable() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"proxy_timeout\": \"forever\"}");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE_NAME", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PROXY_TIMEOUT");
    }

    @Test
    void missingConfigFileNamesConfigFileName() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE_NAME", dir.resolve("absent.json").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CONFIG_FILE_NAME");
    }

    @Test
    void configFileThatIsNotAJsonObjectNamesConfigFileName() throws Exception {
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1,2]");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"admin_pass\": ");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE_NAME", array.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CONFIG_FILE_NAME");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE_NAME", broken.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CONFIG_FILE_NAME");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "PROXY_TIMEOUT, 10",
            "PROXY_TIMEOUT, 1d",
            "PROXY_TIMEOUT, 0s",
            "PROXY_TIMEOUT, -5s",
            "IN_MEMORY_DB_UPDATE_INTERVAL, soon",
            "CUSTOM_POLICY_DETECTION_TIMEOUT, 5x",
            "AMAZON_REQUEST_TIMEOUT, 1 s",
            "AMAZON_CONNECTION_TIMEOUT, ten",
            "AMAZON_COMPREHEND_ENABLED, perhaps",
            "AMAZON_COMPREHEND_ENDPOINT, comprehend.local",
            "AMAZON_COMPREHEND_ENDPOINT, ftp://comprehend.local",
            "AMAZON_COMPREHEND_ENDPOINT, http://bad host",
            "ADMIN_PORT, http",
            "ADMIN_PORT, 65536",
            "ADMIN_PORT, -1",
            "PROXY_PORT, 80.5",
            "STATS_ENABLED, maybe",
            "PROMETHEUS_ENABLED, 2",
            "REMOVE_USER_AGENT, on-ish",
            "ENABLE_ENCRYPTION, perhaps",
            "TELEMETRY_PROVIDER, datadog",
            "TELEMETRY_PROVIDER, STATSD",
            "STATS_ADDRESS, no-port",
            "STATS_ADDRESS, host:port",
            "MAX_RESERVATION_USD, 0",
            "MAX_RESERVATION_USD, -1",
            "MAX_RESERVATION_USD, one dollar",
            "MAX_RESERVATION_USD, $1",
            "MAX_RESERVATION_USD, NaN",
            "MAX_RESERVATION_USD, 1e999999999",
            "MAX_RESERVATION_USD, 1000001",
            "UNPRICED_MODELS, yes",
            "UNPRICED_MODELS, ALLOW",
            "ADMIN_BODY_LIMIT, lots",
            "ADMIN_BODY_LIMIT, 0",
            "PROXY_BODY_LIMIT, 99999999999GiB",
            "PROXY_BODY_MEMORY, 0",
            "HEADER_READ_TIMEOUT, 0s",
            "IDLE_CONNECTION_TIMEOUT, soon",
            "MAX_CONNECTIONS, 0",
            "EVENT_WRITERS, 0",
            "EVENT_WRITERS, 17",
            "EVENT_WRITERS, two",
    })
    void invalidValueFailsNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(name, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(name);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "POSTGRESQL_PORT, five",
            "POSTGRESQL_PORT, 70000",
            "POSTGRESQL_READ_TIME_OUT, 1d",
            "POSTGRESQL_WRITE_TIME_OUT, x",
            "POSTGRESQL_SSL_MODE, sometimes",
    })
    void invalidPostgresValueFailsNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTGRESQL_HOSTS", "pg", name, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(name);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "REDIS_PORT, six",
            "REDIS_DB_START_INDEX, -1",
            "REDIS_DB_START_INDEX, one",
            "REDIS_READ_TIME_OUT, 1d",
    })
    void invalidRedisValueFailsNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("REDIS_HOSTS", "r", name, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(name);
    }

    @Test
    void enableEncryptionIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("ENABLE_ENCRYPTION", "true", "ENCRYPTION_ENDPOINT", "http://enc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ENABLE_ENCRYPTION");
    }

    @Test
    void errorMessagesNeverEchoAPasswordThatIsNotTheBadValue() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("ADMIN_PASS", "very-secret-pass", "ADMIN_PORT", "x")))
                .hasMessageNotContaining("very-secret-pass");
    }

    @Test
    void bodyLimitsAcceptUnits() {
        GatewayConfig c = ConfigLoader.load(Map.of("ADMIN_BODY_LIMIT", "1MiB", "PROXY_BODY_LIMIT", "2048"));
        assertThat(c.adminBodyLimitBytes()).isEqualTo(1024 * 1024);
        assertThat(c.proxyBodyLimitBytes()).isEqualTo(2048);
    }

    @Test
    void encryptionKeysAreThirtyTwoBase64BytesAndNeverEchoed() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 7;
        GatewayConfig c = ConfigLoader.load(Map.of("ENCRYPTION_KEY", key + "\n",
                "ENCRYPTION_KEY_PREVIOUS", java.util.Base64.getEncoder().encodeToString(other)));
        assertThat(c.encryptionKeys().current()).isEqualTo(new byte[32]);
        assertThat(c.encryptionKeys().previous()).isEqualTo(other);
        assertThat(c.toString()).doesNotContain(key);

        String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        for (String bad : new String[] {shortKey, "not base64 at all!", "c2VjcmV0"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("ENCRYPTION_KEY", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("ENCRYPTION_KEY")
                    .hasMessageContaining("openssl rand -base64 32").hasMessageNotContaining(bad);
        }
    }

    @Test
    void postgresStatementTimeoutsMayBeZeroButNotNegative() {
        GatewayConfig c = ConfigLoader.load(Map.of("POSTGRESQL_HOSTS", "pg", "POSTGRESQL_READ_TIME_OUT", "0s"));
        assertThat(c.postgres().orElseThrow().readTimeout()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTGRESQL_HOSTS", "pg", "POSTGRESQL_WRITE_TIME_OUT", "-1s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("POSTGRESQL_WRITE_TIME_OUT");
    }

    @Test
    void variablesOfTheOriginalThatAreNotUsedAreNamedWithWhatToUseInstead() {
        GatewayConfig c = ConfigLoader.load(Map.of("OPENAI_API_KEY", "sk-judge-secret", "REDIS_WRITE_TIME_OUT", "1s",
                "PROMETHEUS_PORT", "2112"));
        assertThat(c.unusedVariables()).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("OPENAI_API_KEY is set but not used").contains("POLICY_JUDGE_SETTING_ID"))
                .anySatisfy(l -> assertThat(l).startsWith("REDIS_WRITE_TIME_OUT").contains("REDIS_READ_TIME_OUT"))
                .anySatisfy(l -> assertThat(l).startsWith("PROMETHEUS_PORT").contains("ADMIN_PORT"))
                .allSatisfy(l -> assertThat(l).doesNotContain("sk-judge-secret"));
        assertThat(ConfigLoader.load(Map.of()).unusedVariables()).isEmpty();
    }

    @Test
    void listenerLimitsAndBodyMemoryAreRead() {
        GatewayConfig c = ConfigLoader.load(Map.of("PROXY_BODY_MEMORY", "100MiB", "HEADER_READ_TIMEOUT", "3s",
                "IDLE_CONNECTION_TIMEOUT", "20s", "MAX_CONNECTIONS", "500"));
        assertThat(c.proxyBodyMemoryBytes()).isEqualTo(100L << 20);
        assertThat(c.listenerLimits()).isEqualTo(new ListenerLimits(Duration.ofSeconds(3), Duration.ofSeconds(20), 500));
    }

    @Test
    void theDefaultBodyLimitFitsTheHeap() {
        assertThat(ConfigLoader.defaultProxyBodyLimit(192L << 20)).isEqualTo(32L << 20);
        assertThat(ConfigLoader.defaultProxyBodyLimit(4L << 30)).isEqualTo(64L << 20);
    }
}
