package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bricksllm.config.EncryptionKeys;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Provider credentials as they lie in the database: encrypted with ENCRYPTION_KEY, on both databases. */
class CredentialsAtRestTest {
    static final String APIKEY = "sk-live-credential-4f9a2c7e1b";
    static final byte[] KEY_A = randomKey();
    static final byte[] KEY_B = randomKey();

    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private Database open(Kind kind) {
        Database db = TestDatabases.open(kind);
        opened.add(db);
        return db;
    }

    static SecretCipher cipher(byte[] current, byte[] previous) {
        return SecretCipher.of(new EncryptionKeys(current, previous));
    }

    static ProviderSetting setting(String id) {
        return new ProviderSetting(id, 1, 1, "openai", Map.of("apikey", APIKEY, "url", "https://api.example/v1"), "n", List.of(), null);
    }

    /** The setting column as a plain JDBC read sees it, bypassing the repository. */
    static String storedColumn(Database db, String id) {
        return db.query("SELECT setting FROM provider_settings WHERE id=?", rs -> rs.getString(1), id).get(0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theStoredRowHoldsNoCredentialAndReadsBackInClear(Kind kind) {
        Database db = open(kind);
        ProviderSettingRepository settings = new ProviderSettingRepository(db, cipher(KEY_A, null));
        settings.insert(setting("s1"));
        settings.update("s1", s -> new ProviderSetting(s.id(), s.createdAt(), 2, s.provider(),
                Map.of("apikey", APIKEY + "-v2", "url", "https://api.example/v1"), s.name(), s.allowedModels(), null));

        String raw = storedColumn(db, "s1");
        assertThat(raw).startsWith(SecretCipher.PREFIX).doesNotContain(APIKEY);
        assertThat(settings.findById("s1").orElseThrow().get("apikey")).isEqualTo(APIKEY + "-v2");
        assertThat(settings.findAll()).extracting(s -> s.get("apikey")).containsExactly(APIKEY + "-v2");
        // a fresh nonce per value: the same credential written twice is stored differently
        settings.insert(new ProviderSetting("s2", 1, 1, "openai", Map.of("apikey", APIKEY + "-v2", "url", "https://api.example/v1"),
                "n", List.of(), null));
        assertThat(storedColumn(db, "s2")).isNotEqualTo(raw);
    }

    @Test
    void theSqliteFilesHoldNoCredentialInAnyByte() throws Exception {
        Path dir = Files.createTempDirectory("bricks-at-rest");
        Path file = dir.resolve("data/bricks.db");
        try (Database db = Database.sqlite(file)) {
            new ProviderSettingRepository(db, cipher(KEY_A, null)).insert(setting("s1"));
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 var rs = c.createStatement().executeQuery("SELECT setting FROM provider_settings")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain(APIKEY);
            }
            for (String suffix : new String[] {"", "-wal"}) {
                Path p = dir.resolve("data/bricks.db" + suffix);
                if (Files.exists(p)) assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).doesNotContain(APIKEY);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void plaintextRowsFromBeforeAreEncryptedAtStartUp(Kind kind) {
        Database db = open(kind);
        new ProviderSettingRepository(db, SecretCipher.none()).insert(setting("old"));
        assertThat(storedColumn(db, "old")).contains(APIKEY);

        SecretCipher keyed = cipher(KEY_A, null);
        ProviderSettingRepository settings = new ProviderSettingRepository(db, keyed);
        assertThat(settings.findById("old").orElseThrow().get("apikey")).as("a plaintext row still reads").isEqualTo(APIKEY);
        CredentialsAtRest.secure(settings, keyed);

        assertThat(storedColumn(db, "old")).startsWith(SecretCipher.PREFIX + keyed.currentKeyId() + ":").doesNotContain(APIKEY);
        assertThat(settings.findById("old").orElseThrow().get("apikey")).isEqualTo(APIKEY);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rotationReadsWithThePreviousKeyAndReEncryptsWithTheNewOne(Kind kind) {
        Database db = open(kind);
        new ProviderSettingRepository(db, cipher(KEY_A, null)).insert(setting("s1"));

        SecretCipher rotating = cipher(KEY_B, KEY_A);
        CredentialsAtRest.secure(new ProviderSettingRepository(db, rotating), rotating);

        assertThat(storedColumn(db, "s1")).startsWith(SecretCipher.PREFIX + rotating.currentKeyId() + ":");
        // the old key can now be dropped
        assertThat(new ProviderSettingRepository(db, cipher(KEY_B, null)).findById("s1").orElseThrow().get("apikey")).isEqualTo(APIKEY);
        assertThatThrownBy(() -> new ProviderSettingRepository(db, cipher(KEY_A, null)).findById("s1"))
                .isInstanceOf(SecretCipher.SecretKeyException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aWrongOrMissingKeyStopsStartUpWithAClearMessage(Kind kind) {
        Database db = open(kind);
        new ProviderSettingRepository(db, cipher(KEY_A, null)).insert(setting("s1"));
        String idA = cipher(KEY_A, null).currentKeyId();

        SecretCipher wrong = cipher(KEY_B, null);
        assertThatThrownBy(() -> CredentialsAtRest.secure(new ProviderSettingRepository(db, wrong), wrong))
                .isInstanceOf(SecretCipher.SecretKeyException.class)
                .hasMessageContaining("provider setting s1").hasMessageContaining("key " + idA).hasMessageContaining("ENCRYPTION_KEY")
                .hasMessageNotContaining(APIKEY);
        SecretCipher none = SecretCipher.none();
        assertThatThrownBy(() -> CredentialsAtRest.secure(new ProviderSettingRepository(db, none), none))
                .isInstanceOf(SecretCipher.SecretKeyException.class).hasMessageContaining("ENCRYPTION_KEY is unset");
        assertThat(storedColumn(db, "s1")).as("nothing rewritten").startsWith(SecretCipher.PREFIX + idA);
    }

    @Test
    void aValueMovedToAnotherRowOrAlteredDoesNotOpen() {
        SecretCipher c = cipher(KEY_A, null);
        String sealed = c.seal("{\"apikey\":\"x\"}", "row-1");
        assertThat(c.open(sealed, "row-1")).isEqualTo("{\"apikey\":\"x\"}");
        assertThatThrownBy(() -> c.open(sealed, "row-2")).isInstanceOf(SecretCipher.SecretKeyException.class);
        char last = sealed.charAt(sealed.length() - 3);
        String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
        assertThatThrownBy(() -> c.open(altered, "row-1")).isInstanceOf(SecretCipher.SecretKeyException.class);
    }

    @Test
    void withoutAKeyStartUpWarnsOnceAndStoresAsBefore() {
        Database db = open(Kind.SQLITE);
        Logger logger = (Logger) LoggerFactory.getLogger(CredentialsAtRest.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            SecretCipher none = SecretCipher.none();
            ProviderSettingRepository settings = new ProviderSettingRepository(db, none);
            CredentialsAtRest.secure(settings, none);
            settings.insert(setting("s1"));
            settings.findAll();
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString().contains("ENCRYPTION_KEY is not set");
            assertThat(settings.findById("s1").orElseThrow().get("apikey")).isEqualTo(APIKEY);
        } finally {
            logger.detachAppender(logs);
        }
    }

    static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
