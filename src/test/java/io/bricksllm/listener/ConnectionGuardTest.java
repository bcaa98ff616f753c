package io.bricksllm.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that send nothing do not stay (issue 16.4) on either listener, while a request in flight is never cut,
 * however long its streamed response is quiet; and each listener caps its open connections.
 */
class ConnectionGuardTest {
    static final Duration HEADER_READ = Duration.ofMillis(600);
    static final Duration IDLE = Duration.ofMillis(900);
    static MockUpstream upstream;
    static TestGateway gw;
    static String key;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start(Map.of("HEADER_READ_TIMEOUT", HEADER_READ.toMillis() + "ms", "IDLE_CONNECTION_TIMEOUT", IDLE.toMillis() + "ms"));
        String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
        key = "sk-guard-key";
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + key + "\",\"settingIds\":[\"" + setting + "\"]}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void aSlowlorisConnectionIsClosedAfterTheHeaderReadTimeoutOnBothListeners() throws Exception {
        for (int port : new int[] {gw.gateway().proxyPort(), gw.gateway().adminPort()}) {
            byte[] head = "POST /api/providers/openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", port)) {
                long t0 = System.nanoTime();
                s.setSoTimeout(50);
                OutputStream out = s.getOutputStream();
                boolean closed = false;
                for (int i = 0; i < head.length && !closed; i++) { // one header byte every 200 ms, never the end of the head
                    try {
                        out.write(head[i]);
                        out.flush();
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                    closed = closedWithin(s, Duration.ofMillis(200));
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(closed).as("port %d closed the trickling connection", port).isTrue();
                assertThat(ms).as("closed after the header-read timeout").isBetween(HEADER_READ.toMillis() - 50, HEADER_READ.toMillis() + 2500);
            }
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        for (int port : new int[] {gw.gateway().proxyPort(), gw.gateway().adminPort()}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(5000);
                String status = readLine(s.getInputStream());
                assertThat(status).startsWith("HTTP/1.1 200");
                long t0 = System.nanoTime();
                assertThat(closedWithin(s, IDLE.plusSeconds(3))).as("port %d closed the idle connection", port).isTrue();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).isGreaterThanOrEqualTo(IDLE.toMillis() - 100);
            }
        }
    }

    @Test
    void aStreamQuieterThanTheIdleTimeoutStillCompletes() {
        List<String> events = Fixtures.chatStream("gpt-4o-mini", List.of("a", "b", "c"), 5, 3, true);
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.sse(events).withGap(IDLE.plusMillis(700)));
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).postJson("/api/providers/openai/v1/chat/completions", key,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("\"a\"", "\"b\"", "\"c\"", "[DONE]");
    }

    @Test
    void eachListenerCapsItsOpenConnections() throws Exception {
        try (TestGateway capped = TestGateway.start(Map.of("MAX_CONNECTIONS", "3", "HEADER_READ_TIMEOUT", "30s"))) {
            for (int port : new int[] {capped.gateway().proxyPort(), capped.gateway().adminPort()}) {
                List<Socket> held = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) held.add(new Socket("127.0.0.1", port));
                    if (port == capped.gateway().proxyPort()) {
                        io.bricksllm.testing.Poll.until(Duration.ofSeconds(5), "3 connections counted",
                                () -> capped.gateway().proxyConnections().open() == 3);
                    }
                    try (Socket fourth = new Socket("127.0.0.1", port)) {
                        assertThat(closedWithin(fourth, Duration.ofSeconds(3))).as("port %d closed the 4th connection", port).isTrue();
                    }
                    for (Socket s : held) assertThat(closedWithin(s, Duration.ofMillis(100))).isFalse();
                    held.remove(0).close();
                    io.bricksllm.testing.Poll.until(Duration.ofSeconds(5), "a freed slot serves again", () -> healthOk(port));
                } finally {
                    for (Socket s : held) s.close();
                }
            }
            assertThat(capped.gateway().proxyConnections().refused()).isGreaterThanOrEqualTo(1);
        }
    }

    private static boolean healthOk(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String line = readLine(s.getInputStream());
            return line != null && line.startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the peer closed (end of stream or reset) within {@code wait}; false if the connection is still open. */
    private static boolean closedWithin(Socket s, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read() < 0) return true;
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                return true; // reset
            }
        }
        return false;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
        return c < 0 && b.isEmpty() ? null : b.toString().trim();
    }
}
