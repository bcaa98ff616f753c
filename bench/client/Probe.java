import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 load probe, JDK only, that completes every request it starts (unlike wrk, which drops
 * the requests in flight when its time is up), so its counts can be compared exactly with the gateway's events.
 *
 * <pre>java Probe.java [--n N] [--concurrency C] [--warmup W] [--stream] [--key SECRET] [--timeout-s S] [--body NAME=JSON]... NAME=URL...</pre>
 *
 * Each worker keeps one keep-alive connection per target and sends N/C requests to every target, alternating
 * targets request by request (the order rotates), so all targets see the same machine noise. The first W
 * requests per worker and target are warm-up: sent, completed, not recorded (so not counted either). For each request it
 * records the time from writing the request to the first body bytes that hold an SSE {@code data:} line (the
 * first body bytes for JSON) and to the end of the response. A request succeeds on a 2xx status with a complete
 * body, which for a stream must end with {@code data: [DONE]} (OpenAI) or Anthropic's {@code message_stop} event.
 * Every target gets the same OpenAI chat request ({@code gpt-4o-mini}, streaming with {@code --stream}) unless
 * {@code --body NAME=JSON} gives that target its own (another dialect, or a unified {@code <provider>/<model>}).
 * Prints one JSON object per target.
 */
public final class Probe {
    record Target(String name, URI uri) {}

    record Sample(boolean ok, long firstNanos, long totalNanos) {}

    public static void main(String[] args) throws Exception {
        int n = 100, concurrency = 4, timeoutS = 120, warmup = 0;
        boolean stream = false;
        String key = "bench-secret";
        List<Target> targets = new ArrayList<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--stream" -> stream = true;
                case "--key" -> key = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--timeout-s" -> timeoutS = Integer.parseInt(args[++i]);
                case "--body" -> {
                    String spec = args[++i];
                    int eq = spec.indexOf('=');
                    bodies.put(spec.substring(0, eq), spec.substring(eq + 1));
                }
                default -> {
                    int eq = args[i].indexOf('=');
                    targets.add(new Target(args[i].substring(0, eq), URI.create(args[i].substring(eq + 1))));
                }
            }
        }
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
        int perWorker = Math.max(1, n / concurrency);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<List<List<Sample>>>> work = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            final int worker = w;
            final String k = key;
            final boolean s = stream;
            final int skip = warmup;
            work.add(pool.submit(() -> runWorker(worker, skip, perWorker, targets, bodies, body, k, s)));
        }
        pool.shutdown();
        if (!pool.awaitTermination(timeoutS, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            System.err.println("probe: timed out after " + timeoutS + " s");
        }
        Map<String, List<Sample>> byTarget = new LinkedHashMap<>();
        for (Target t : targets) byTarget.put(t.name(), new ArrayList<>());
        for (Future<List<List<Sample>>> f : work) {
            if (!f.isDone()) continue;
            List<List<Sample>> perTarget = f.get();
            for (int t = 0; t < targets.size(); t++) byTarget.get(targets.get(t).name()).addAll(perTarget.get(t));
        }
        StringBuilder out = new StringBuilder("{");
        for (var e : byTarget.entrySet()) {
            List<Sample> all = e.getValue().stream().filter(x -> x.totalNanos() >= 0).toList();
            long warmupOk = e.getValue().stream().filter(x -> x.totalNanos() < 0 && x.ok()).count();
            long ok = all.stream().filter(Sample::ok).count();
            long[] first = all.stream().filter(Sample::ok).mapToLong(Sample::firstNanos).sorted().toArray();
            long[] total = all.stream().filter(Sample::ok).mapToLong(Sample::totalNanos).sorted().toArray();
            if (out.length() > 1) out.append(',');
            out.append(String.format("\"%s\":{\"requests\":%d,\"ok\":%d,\"warmup_ok\":%d,\"first_p50_ms\":%.4f,\"first_p90_ms\":%.4f,"
                            + "\"first_p99_ms\":%.4f,\"first_mean_ms\":%.4f,\"total_p50_ms\":%.4f,\"total_p99_ms\":%.4f}",
                    e.getKey(), all.size(), ok, warmupOk, pct(first, 50), pct(first, 90), pct(first, 99), mean(first),
                    pct(total, 50), pct(total, 99)));
        }
        System.out.println(out.append('}'));
    }

    static List<List<Sample>> runWorker(int worker, int skip, int count, List<Target> targets, Map<String, String> bodies,
                                        String body, String key, boolean stream) {
        List<List<Sample>> samples = new ArrayList<>();
        Conn[] conns = new Conn[targets.size()];
        for (int t = 0; t < targets.size(); t++) samples.add(new ArrayList<>());
        try {
            for (int i = -skip; i < count; i++) {
                for (int j = 0; j < targets.size(); j++) {
                    int t = Math.floorMod(i + j + worker, targets.size());
                    Sample s;
                    try {
                        if (conns[t] == null) conns[t] = new Conn(targets.get(t).uri());
                        s = conns[t].exchange(bodies.getOrDefault(targets.get(t).name(), body), key, stream);
                    } catch (IOException e) {
                        s = new Sample(false, 0, 0);
                    }
                    if (conns[t] != null && (!s.ok() || conns[t].mustClose)) {
                        conns[t].close();
                        conns[t] = null;
                    }
                    samples.get(t).add(i >= 0 ? s : new Sample(s.ok(), -1, -1));
                }
            }
        } finally {
            for (Conn c : conns) if (c != null) c.close();
        }
        return samples;
    }

    /** One keep-alive connection; reads responses with Content-Length or chunked bodies. */
    static final class Conn {
        final URI uri;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean mustClose;

        Conn(URI uri) throws IOException {
            this.uri = uri;
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        Sample exchange(String body, String key, boolean stream) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nAccept: "
                    + (stream ? "text/event-stream" : "application/json") + "\r\nContent-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] req = Arrays.copyOf(head, head.length + b.length);
            System.arraycopy(b, 0, req, head.length, b.length);
            long t0 = System.nanoTime();
            out.write(req);
            out.flush();
            String status = readLine();
            boolean ok2xx = status.startsWith("HTTP/1.1 2");
            long length = -1;
            boolean chunked = false, close = false;
            for (String h; !(h = readLine()).isEmpty(); ) {
                String lower = h.toLowerCase();
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                if (lower.startsWith("connection:") && lower.contains("close")) close = true;
            }
            long first = 0;
            StringBuilder text = new StringBuilder();
            if (chunked) {
                while (true) {
                    String sizeLine = readLine();
                    int semi = sizeLine.indexOf(';');
                    int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    if (size == 0) {
                        while (!readLine().isEmpty()) { } // trailers
                        break;
                    }
                    String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
                    readLine();
                    text.append(chunk);
                    if (first == 0 && (!stream || text.indexOf("data:") >= 0)) first = System.nanoTime();
                }
            } else if (length >= 0) {
                byte[] all = in.readNBytes((int) length);
                first = System.nanoTime();
                text.append(new String(all, StandardCharsets.UTF_8));
            } else {
                text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                first = System.nanoTime();
                close = true;
            }
            long end = System.nanoTime();
            mustClose = close;
            String tail = text.toString().stripTrailing();
            boolean complete = !stream || tail.endsWith("data: [DONE]") || tail.endsWith("{\"type\":\"message_stop\"}");
            return new Sample(ok2xx && complete && first > 0, first - t0, end - t0);
        }

        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return -1;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static double mean(long[] v) {
        return v.length == 0 ? -1 : Arrays.stream(v).average().orElse(0) / 1e6;
    }
}
