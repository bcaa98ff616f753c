package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.2 at the benchmark's heap: a gateway in its own JVM (-Xmx192m, SerialGC, default body limit and body
 * memory) is sent 60 MB chat bodies while other requests run. Every request is answered, the small ones all
 * succeed, and the JVM is alive afterwards with no OutOfMemoryError. Heap and RSS are printed for the note.
 */
class BigBodyHeapTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final Set<Integer> CLEAR_ANSWERS = Set.of(200, 413, 503);
    static final String SMALL = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String KEY = "sk-big-body";

    static MockUpstream upstream;
    static Process gateway;
    static Path log;
    static Path gcLog;
    static String proxy;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", r -> {
            upstream.reset(); // do not keep the big bodies in this JVM
            return MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1));
        });
        int adminPort = freePort();
        int proxyPort = freePort();
        Path dir = Files.createTempDirectory("bricksllm-heap");
        log = dir.resolve("gateway.log");
        gcLog = dir.resolve("gc.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog,
                "-cp", System.getProperty("java.class.path"), "io.bricksllm.Main")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("ADMIN_PORT", String.valueOf(adminPort), "PROXY_PORT", String.valueOf(proxyPort),
                "BIND_HOST", "127.0.0.1", "DATA_DIR", dir.toString(), "TELEMETRY_PROVIDER", "none", "MODE", "dev"));
        gateway = pb.start();
        AdminClient admin = new AdminClient("http://127.0.0.1:" + adminPort);
        Poll.until(Duration.ofSeconds(40), "the gateway JVM answers", () -> {
            try {
                return admin.get("/api/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
        admin.createKey("{\"name\":\"k\",\"key\":\"" + KEY + "\",\"settingIds\":[\"" + setting + "\"]}");
        proxy = "http://127.0.0.1:" + proxyPort;
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) gateway.destroyForcibly();
        }
        if (upstream != null) upstream.close();
    }

    @Test
    void sixtyMegabyteBodiesDoNotTakeTheProxyDown() throws Exception {
        byte[] big = chat(60_000_000);

        // one 60 MB body (declared length) and one sent chunked, while 50 small requests run
        CompletableFuture<Integer> declared = post(big, false);
        CompletableFuture<Integer> chunked = post(big, true);
        List<CompletableFuture<Integer>> small = new ArrayList<>();
        long t0 = System.nanoTime();
        AtomicLong slowestSmallMs = new AtomicLong();
        for (int i = 0; i < 50; i++) {
            small.add(post(SMALL.getBytes(StandardCharsets.UTF_8), false)
                    .whenComplete((st, e) -> slowestSmallMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max)));
        }
        for (CompletableFuture<Integer> s : small) assertThat(s.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(declared.get(30, TimeUnit.SECONDS)).isIn(CLEAR_ANSWERS);
        assertThat(chunked.get(30, TimeUnit.SECONDS)).isIn(CLEAR_ANSWERS);

        // 8 at once, chunked (the gateway cannot refuse them from a declared length: it must read and hold bytes)
        // and 4 with a length just under the default limit at this heap (a sixth of 192 MiB)
        long heapBefore = maxHeapBeforeGcMb();
        List<CompletableFuture<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) burst.add(post(big, true));
        byte[] underLimit = chat(32_000_000);
        for (int i = 0; i < 4; i++) burst.add(post(underLimit, false));
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> f : burst) statuses.add(f.get(60, TimeUnit.SECONDS));
        assertThat(statuses).allMatch(CLEAR_ANSWERS::contains);

        assertThat(gateway.isAlive()).isTrue();
        assertThat(post(SMALL.getBytes(StandardCharsets.UTF_8), false).get(10, TimeUnit.SECONDS)).isEqualTo(200);
        String output = Files.readString(log);
        assertThat(output).doesNotContain("OutOfMemoryError");
        System.out.printf("BigBodyHeapTest: small requests took at most %d ms beside 60 MB bodies; 8 chunked 60 MB + 4 declared 32 MB at once -> statuses %s; gateway heap used at most"
                        + " %d MiB before a GC (%d MiB before the burst; of 192), at most %d MiB live after a GC, RSS now %d MiB, peak RSS %d MiB%n",
                slowestSmallMs.get(), statuses,
                maxHeapBeforeGcMb(), heapBefore, maxHeapAfterGcMb(),
                status("VmRSS") / 1024, status("VmHWM") / 1024);
    }

    static CompletableFuture<Integer> post(byte[] body, boolean chunked) {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)) // no length: chunked
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest req = HttpRequest.newBuilder(URI.create(proxy + CHAT)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json").POST(publisher).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                .exceptionally(e -> {
                    System.out.println("BigBodyHeapTest: request failed: " + e);
                    return -1;
                });
    }

    static byte[] chat(int size) {
        byte[] head = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) 'x');
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, size - tail.length, tail.length);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A field of /proc/PID/status in KiB (VmRSS now, VmHWM the peak). */
    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(gateway.pid()), "status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** The most heap the gateway used, in MiB: the largest "before" figure of the GC log's "A M->B M(C M)" lines. */
    static long maxHeapBeforeGcMb() throws IOException {
        return maxGcFigure(1);
    }

    /** The largest live heap after a GC, in MiB. */
    static long maxHeapAfterGcMb() throws IOException {
        return maxGcFigure(2);
    }

    private static long maxGcFigure(int group) throws IOException {
        long max = 0;
        var m = java.util.regex.Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
        while (m.find()) max = Math.max(max, Long.parseLong(m.group(group)));
        return max;
    }
}
