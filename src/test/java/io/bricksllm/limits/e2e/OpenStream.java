package io.bricksllm.limits.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A streaming proxy request on a plain socket, held open after its first event until {@link #close()}: closing the
 * socket mid-stream is what a client that gives up does (no polite end), and a held stream holds its gateway slot.
 */
final class OpenStream implements AutoCloseable {
    private final Socket socket;
    final int status;
    final String head;

    private OpenStream(Socket socket, int status, String head) {
        this.socket = socket;
        this.status = status;
        this.head = head;
    }

    /** Sends the request; returns once the answer's status is known and, for a 200, its first SSE event has arrived. */
    static OpenStream open(String proxyUrl, String path, String key, String json) {
        URI u = URI.create(proxyUrl);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Socket s = new Socket();
        try {
            s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            if (statusLine == null) throw new IOException("closed without an answer");
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            StringBuilder head = new StringBuilder(statusLine).append('\n');
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) head.append(line).append('\n');
            if (status == 200) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.contains("data:")) break; // chunk-size lines come first with chunked encoding
                }
            }
            return new OpenStream(s, status, head.toString());
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a dead socket is what we want
        }
    }
}
