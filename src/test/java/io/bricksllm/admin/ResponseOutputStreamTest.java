package io.bricksllm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure of streamed admin answers (issue 20): a producer writing 64 MB to a client that reads nothing is held
 * back after a few MB (socket buffers and the write queue) instead of buffering it all; when the client reads, all of
 * it arrives; a client that stops reading for the stall limit cuts the producer off.
 */
class ResponseOutputStreamTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 1_024; // 64 MB

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private int serve(Duration stallLimit, AtomicLong produced, CompletableFuture<Throwable> outcome) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            var response = req.response().setChunked(true);
            ResponseOutputStream out = new ResponseOutputStream(response, stallLimit);
            vertx.executeBlocking(() -> {
                byte[] chunk = new byte[CHUNK];
                for (int i = 0; i < CHUNKS; i++) {
                    out.write(chunk);
                    produced.addAndGet(CHUNK);
                }
                out.flush();
                return null;
            }, false).onComplete(ar -> {
                if (ar.succeeded()) response.end();
                else response.reset();
                outcome.complete(ar.cause());
            });
        });
        return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void aClientThatReadsNothingHoldsTheProducerBackAndThenGetsEverything() throws Exception {
        AtomicLong produced = new AtomicLong();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        int port = serve(Duration.ofSeconds(60), produced, outcome);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // the producer stops advancing: it is waiting for the write queue to drain
            long[] last = {-1};
            long[] since = {System.nanoTime()};
            Poll.until(Duration.ofSeconds(20), "the producer is held back", () -> {
                long now = produced.get();
                if (now != last[0]) {
                    last[0] = now;
                    since[0] = System.nanoTime();
                    return false;
                }
                return System.nanoTime() - since[0] > 300_000_000L;
            });
            assertThat(produced.get()).as("bytes produced while the client read nothing").isLessThan(16L << 20);
            assertThat(outcome).isNotDone();

            long received = 0;
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256 * 1024];
            // chunked framing adds a few bytes per chunk: read until the terminating chunk's bytes are in
            for (int n; (n = in.read(buf)) > 0; ) {
                received += n;
                if (n >= 5 && new String(buf, n - 5, 5, StandardCharsets.US_ASCII).equals("0\r\n\r\n")) break;
            }
            assertThat(received).isGreaterThan((long) CHUNK * CHUNKS);
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(produced.get()).isEqualTo((long) CHUNK * CHUNKS);
    }

    @Test
    void aClientThatStopsReadingIsCutOffAfterTheStallLimit() throws Exception {
        AtomicLong produced = new AtomicLong();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        int port = serve(Duration.ofSeconds(1), produced, outcome);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Throwable cause = outcome.get(20, TimeUnit.SECONDS);
            assertThat(cause).isInstanceOf(ResponseOutputStream.ClientGone.class).hasMessageContaining("read nothing");
            assertThat(produced.get()).isLessThan((long) CHUNK * CHUNKS);
        }
    }
}
