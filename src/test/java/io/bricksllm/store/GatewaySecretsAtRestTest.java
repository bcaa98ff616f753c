package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway with ENCRYPTION_KEY: the data folder and files are the gateway user's only, the database holds no
 * credential in clear, and the proxy still sends the real credential upstream.
 */
class GatewaySecretsAtRestTest {
    static final String UPSTREAM_KEY = "sk-upstream-credential-93b1d0";
    static final String CHAT = "/api/providers/openai/v1/chat/completions";

    @Test
    void dataIsPrivateEncryptedAndStillForwardedWithTheRealKey() throws Exception {
        Path data = Files.createTempDirectory("bricks-private").resolve("fresh/data");
        String key = Base64.getEncoder().encodeToString(CredentialsAtRestTest.randomKey());
        try (MockUpstream upstream = new MockUpstream();
             TestGateway gw = TestGateway.start(Map.of("DATA_DIR", data.toString(), "ENCRYPTION_KEY", key))) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
            String setting = gw.admin.createSetting("openai", Map.of("apikey", UPSTREAM_KEY, "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"k\",\"key\":\"gateway-key\",\"settingIds\":[\"" + setting + "\"]}");

            var reply = new ProxyClient(gw.proxyUrl()).postJson(CHAT, "gateway-key",
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);

            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.getParent())).as("missing parents too").isEqualTo("rwx------");
            assertThat(mode(data.resolve("spool"))).isEqualTo("rwx------");
            Path db = data.resolve("bricksllm.db");
            for (Path p : new Path[] {db, data.resolve("bricksllm.db-wal"), data.resolve("bricksllm.db-shm")}) {
                assertThat(p).exists();
                assertThat(mode(p)).as(p.getFileName().toString()).isEqualTo("rw-------");
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.getFileName().toString())
                        .doesNotContain(UPSTREAM_KEY);
            }
        }
        // the same data without the key: start-up refuses rather than sending ciphertext upstream
        assertThatThrownBy(() -> TestGateway.start(Map.of("DATA_DIR", data.toString())).close())
                .rootCause().isInstanceOf(SecretCipher.SecretKeyException.class).hasMessageContaining("ENCRYPTION_KEY is unset");
    }

    @Test
    void anExistingDatabaseFileIsNarrowedTo0600() throws Exception {
        Path data = Files.createTempDirectory("bricks-existing");
        Path db = data.resolve("bricksllm.db");
        Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (TestGateway gw = TestGateway.start(Map.of("DATA_DIR", data.toString()))) {
            assertThat(mode(db)).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
