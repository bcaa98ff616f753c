import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mock OpenAI upstream for streaming chat completions, JDK only: {@code java SseMock.java PORT [GAP_MS]}.
 *
 * <p>Every POST is answered with one {@code chat.completion.chunk} stream: 20 content chunks, a usage chunk
 * and {@code data: [DONE]}, each event a separate HTTP chunk, flushed. The first event leaves right after
 * the headers; between events the mock waits GAP_MS (default 0). A path segment {@code gap-N} overrides the
 * gap for that request, so one mock serves both the throughput run (gap 0) and the first-chunk run (gap 50).
 * A POST whose body lacks {@code "stream":true} gets a plain {@code chat.completion} JSON instead.
 * A POST to a path ending in {@code /messages} is answered in Anthropic's Messages dialect instead: a stream of
 * {@code message_start}, {@code content_block_start}, 20 {@code content_block_delta}, {@code content_block_stop},
 * {@code message_delta} (usage) and {@code message_stop}, each event its own flushed chunk with the same gaps, or
 * a plain {@code message} JSON without {@code "stream":true}.
 * {@code GET /stats} returns the number of streams started and completed. Loopback only; HTTP/1.1 keep-alive.
 */
public final class SseMock {
    static final int CHUNKS = 20;
    static final Pattern GAP = Pattern.compile("/gap-(\\d+)(/|$)");
    static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    static final byte[][] EVENTS = events();
    static final byte[][] ANTHROPIC_EVENTS = anthropicEvents();
    static final byte[] ANTHROPIC_JSON = ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-3-5-haiku-20241022\",\"content\":[{\"type\":\"text\",\"text\":\"Hello!\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":2}}")
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] JSON = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1732700000,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}")
            .getBytes(StandardCharsets.US_ASCII);
    static final AtomicLong started = new AtomicLong();
    static final AtomicLong completed = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long defaultGap = args.length > 1 ? Long.parseLong(args[1]) : 0;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
            System.out.println("sse-mock listening on 127.0.0.1:" + port + " gap " + defaultGap + " ms");
            while (true) {
                Socket s = server.accept();
                pool.execute(() -> serve(s, defaultGap));
            }
        }
    }

    static void serve(Socket s, long defaultGap) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                String[] requestLine = head.substring(0, head.indexOf('\r')).split(" ");
                String method = requestLine[0];
                String path = requestLine.length > 1 ? requestLine[1] : "/";
                String lower = head.toLowerCase(Locale.ROOT);
                byte[] body = lower.contains("\r\ntransfer-encoding: chunked") ? readChunked(in) : in.readNBytes(contentLength(lower));
                boolean close = lower.contains("\r\nconnection: close");
                boolean anthropic = path.endsWith("/messages");
                if (method.equals("GET")) {
                    byte[] stats = ("{\"started\":" + started.get() + ",\"completed\":" + completed.get() + "}")
                            .getBytes(StandardCharsets.US_ASCII);
                    writeFixed(out, "application/json", stats, close);
                } else if (STREAM.matcher(new String(body, StandardCharsets.UTF_8)).find()) {
                    Matcher m = GAP.matcher(path);
                    stream(out, anthropic ? ANTHROPIC_EVENTS : EVENTS, m.find() ? Long.parseLong(m.group(1)) : defaultGap, close);
                } else {
                    writeFixed(out, "application/json", anthropic ? ANTHROPIC_JSON : JSON, close);
                }
                if (close) return;
            }
        } catch (IOException | InterruptedException e) {
            // caller went away: nothing to clean up
        }
    }

    static void stream(OutputStream out, byte[][] events, long gapMs, boolean close) throws IOException, InterruptedException {
        started.incrementAndGet();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < events.length; i++) {
            if (i > 0 && gapMs > 0) Thread.sleep(gapMs);
            out.write((Integer.toHexString(events[i].length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(events[i]);
            out.write('\r');
            out.write('\n');
            out.flush();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        completed.incrementAndGet();
    }

    static void writeFixed(OutputStream out, String type, byte[] body, boolean close) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The request line and headers up to the blank line, or null at a clean end of stream. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(512);
        int state = 0;
        while (true) {
            int c = in.read();
            if (c < 0) return null;
            sb.append((char) c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1 -> c == '\n' ? 2 : 0;
                case 3 -> c == '\n' ? 4 : 0;
                default -> 0;
            };
            if (state == 4) return sb.toString();
            if (sb.length() > 64 * 1024) throw new IOException("header too large");
        }
    }

    static byte[] readChunked(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            int semi = line.indexOf(";");
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (readLine(in).length() > 0) { } // trailers
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("eof in line");
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    static int contentLength(String lowerHead) {
        int i = lowerHead.indexOf("\r\ncontent-length:");
        if (i < 0) return 0;
        int end = lowerHead.indexOf('\r', i + 2);
        return Integer.parseInt(lowerHead.substring(i + 17, end).trim());
    }

    static byte[][] events() {
        String common = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732700000,"
                + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_bench0001\",";
        byte[][] ev = new byte[CHUNKS + 2][];
        for (int i = 0; i < CHUNKS; i++) {
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"tok0 \"}" : "{\"content\":\"tok" + i + " \"}";
            String finish = i == CHUNKS - 1 ? "\"stop\"" : "null";
            ev[i] = ("data: " + common + "\"choices\":[{\"index\":0,\"delta\":" + delta
                    + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}\n\n").getBytes(StandardCharsets.US_ASCII);
        }
        ev[CHUNKS] = ("data: " + common + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + CHUNKS
                + ",\"total_tokens\":" + (9 + CHUNKS) + "}}\n\n").getBytes(StandardCharsets.US_ASCII);
        ev[CHUNKS + 1] = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
        return ev;
    }

    /** Anthropic Messages SSE as api.anthropic.com sends it (named events, the type repeated in the data). */
    static byte[][] anthropicEvents() {
        java.util.List<String> ev = new java.util.ArrayList<>();
        ev.add(sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"));
        ev.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (int i = 0; i < CHUNKS; i++) {
            ev.add(sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"tok"
                    + i + " \"}}"));
        }
        ev.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        ev.add(sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":" + CHUNKS + "}}"));
        ev.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
        byte[][] out = new byte[ev.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ev.get(i).getBytes(StandardCharsets.US_ASCII);
        return out;
    }

    static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }
}
