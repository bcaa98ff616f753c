package io.bricksllm.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A streamed admin answer as an {@link OutputStream} for a worker thread: bytes are gathered into chunks of
 * {@value #CHUNK_BYTES} and written to the response; while the response's write queue is full the writer waits
 * for it to drain, so a slow client holds back the producer instead of making the server buffer everything. At
 * most one chunk plus the write queue is in memory per answer.
 */
final class ResponseOutputStream extends OutputStream {
    static final int CHUNK_BYTES = 64 * 1024;
    /** How often a waiting writer looks again, should a drain signal be missed (set after the check that failed). */
    private static final long RECHECK_MILLIS = 100;

    /** The client went away (or stopped reading for too long); the producer stops. */
    static final class ClientGone extends IOException {
        ClientGone(String message) {
            super(message, null);
        }
    }

    private final HttpServerResponse response;
    private final long stallNanos;
    private final Object drained = new Object();
    private byte[] chunk = new byte[CHUNK_BYTES];
    private int used;

    /** Call on the response's event loop (it sets the drain handler); then write from one worker thread. */
    ResponseOutputStream(HttpServerResponse response, Duration stallLimit) {
        this.response = response;
        this.stallNanos = stallLimit.toNanos();
        response.drainHandler(v -> {
            synchronized (drained) {
                drained.notifyAll();
            }
        });
    }

    @Override
    public void write(int b) throws IOException {
        if (used == chunk.length) flushChunk();
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == chunk.length) flushChunk();
            int n = Math.min(len, chunk.length - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is gathered (waiting for room first). */
    @Override
    public void flush() throws IOException {
        if (used > 0) flushChunk();
    }

    private void flushChunk() throws IOException {
        awaitRoom();
        // the response keeps the buffer until the socket takes it: hand over a copy-free chunk and start a new one
        response.write(Buffer.buffer(used == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, used)));
        chunk = new byte[CHUNK_BYTES];
        used = 0;
    }

    private void awaitRoom() throws IOException {
        long deadline = System.nanoTime() + stallNanos;
        synchronized (drained) {
            while (true) {
                if (response.closed()) throw new ClientGone("the client closed the connection");
                if (!response.writeQueueFull()) return;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new ClientGone("the client read nothing for " + Duration.ofNanos(stallNanos).toSeconds() + " s");
                try {
                    drained.wait(Math.min(RECHECK_MILLIS, Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClientGone("interrupted while waiting for the client");
                }
            }
        }
    }
}
