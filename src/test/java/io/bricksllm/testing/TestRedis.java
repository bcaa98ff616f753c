package io.bricksllm.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary bundled by embedded-redis) on a free port of 127.0.0.1 — never 6379 —
 * that a test may stop and start again on the same port. Nothing is persisted: a restarted server comes
 * back empty, as a Redis restarted without persistence does.
 */
public final class TestRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private RedisServer server;

    private TestRedis(int port) {
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("bricks-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of the caller's own, started on a free port. */
    public static TestRedis start() {
        TestRedis r = new TestRedis(TestDatabases.freePort());
        r.restart();
        return r;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on the same port; no-op while it runs. */
    public synchronized void restart() {
        if (server != null && server.isActive()) return;
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + dir.toAbsolutePath())
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis on port " + port, e);
        }
    }

    public synchronized void stop() {
        try {
            if (server != null && server.isActive()) server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one command (plain RESP over a socket) and returns the answer: a status or error line as sent
     * ({@code +OK}, {@code -ERR …}), an integer as its digits ({@code :1} → {@code 1}), a bulk string as its
     * text, {@code null} for a missing value.
     */
    public String command(String... args) {
        StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) throw new IOException("connection closed without an answer");
            if (line.startsWith(":")) return line.substring(1);
            if (line.startsWith("$")) return Integer.parseInt(line.substring(1)) < 0 ? null : in.readLine();
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis command " + args[0] + " failed", e);
        }
    }

    /** FLUSHALL: Redis loses every counter, as after a restart without persistence or an operator's mistake. */
    public void flushAll() {
        String answer = command("FLUSHALL");
        if (!"+OK".equals(answer)) throw new IllegalStateException("FLUSHALL answered " + answer);
    }

    @Override
    public void close() {
        stop();
    }
}
