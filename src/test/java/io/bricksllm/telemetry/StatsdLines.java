package io.bricksllm.telemetry;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A DogStatsD stand-in: a UDP socket on a free loopback port collecting every line it receives. */
final class StatsdLines implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    StatsdLines() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(100);
        reader = Thread.ofPlatform().daemon().name("statsd-listener").start(this::read);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buf = new byte[65_535];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                return; // closed
            } catch (Exception e) {
                continue;
            }
            for (String line : new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) lines.add(line);
            }
        }
    }

    /**
     * Lines recorded before the StatsD client has connected are dropped by Micrometer, so a test first sends a
     * probe counter until one arrives (it arrives once a packet is full or the flush interval passed).
     */
    void awaitConnected(io.micrometer.core.instrument.MeterRegistry registry) throws InterruptedException {
        io.micrometer.core.instrument.Counter probe = registry.counter(PROBE);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lines.stream().noneMatch(l -> l.startsWith(PROBE + ":"))) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("the StatsD client never connected");
            probe.increment();
            Thread.sleep(10);
        }
    }

    static final String PROBE = "bricksllm.test.probe";

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until every predicate matched some received line, or fails after {@code timeout} listing what came. */
    void await(Duration timeout, List<Predicate<String>> expectations, String description) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> got = lines();
            List<Predicate<String>> missing = new ArrayList<>();
            for (Predicate<String> e : expectations) if (got.stream().noneMatch(e)) missing.add(e);
            if (missing.isEmpty()) return;
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("StatsD lines never matched " + description + " (" + missing.size()
                        + " missing) within " + timeout + "; received:\n" + String.join("\n", got));
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
