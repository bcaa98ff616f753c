package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.BodyMemory;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.RequestInspector;
import io.bricksllm.proxy.Stage;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;

/**
 * Reads the request body (bounded: over the limit is 413 and nothing is forwarded) and learns model,
 * stream flag and user from it. A body the endpoint cannot use is a 400; checks are never skipped.
 * The body's bytes are taken from the gateway's {@link BodyMemory} while it is read and given back when the
 * request ends; a body that does not fit is refused with 503 and Retry-After.
 */
public final class BodyStage implements Stage {
    /** Seconds a caller refused for lack of body memory is asked to wait: in-flight bodies usually end within that. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final long limitBytes;
    private final BodyMemory memory;
    private final RequestInspector inspector;

    public BodyStage(long limitBytes, BodyMemory memory, RequestInspector inspector) {
        this.limitBytes = Math.min(limitBytes, Integer.MAX_VALUE - 8); // a body is one array
        this.memory = memory;
        this.inspector = inspector;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String declared = x.request.getHeader("Content-Length");
        long expected = -1;
        if (declared != null) {
            try {
                expected = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Refusal.fail(new Refusal.BadRequest("invalid Content-Length"));
            }
            if (expected > limitBytes) return tooLarge();
            if (expected < 0) return Refusal.fail(new Refusal.BadRequest("invalid Content-Length"));
            if (!memory.tryTake(expected)) return busy(x);
            x.bodyBytesHeld = expected;
        }
        Promise<Void> done = Promise.promise();
        BodyBytes body = new BodyBytes((int) Math.max(0, expected));
        x.request.handler(chunk -> {
            if (done.future().isComplete()) return; // refused already: the rest is read and dropped
            long length = (long) body.length() + chunk.length();
            if (length > limitBytes) {
                refuse(x, done, tooLargeRefusal(), body);
                return;
            }
            if (length > x.bodyBytesHeld) { // chunked, or more than declared: take the difference as it comes
                long more = length - x.bodyBytesHeld;
                if (!memory.tryTake(more)) {
                    x.request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
                    refuse(x, done, busyRefusal(), body);
                    return;
                }
                x.bodyBytesHeld += more;
            }
            body.add(chunk);
        });
        x.request.exceptionHandler(err -> refuse(x, done, new Refusal.BadRequest("request body could not be read"), body));
        x.request.endHandler(v -> {
            if (done.future().isComplete()) return;
            byte[] bytes = body.bytes();
            body.clear(); // the handler above outlives this: it must not keep the chunks beside the joined copy
            x.body = BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
            try {
                RequestInfo inspected = inspector.inspect(x.endpoint, x.request.getHeader("Content-Type"), bytes);
                x.info = x.provider == null ? inspected : x.provider.refine(inspected, x.request.path());
                done.tryComplete();
            } catch (RequestInspector.InvalidBody e) {
                refuse(x, done, new Refusal.BadRequest(e.getMessage()), body);
            }
        });
        x.request.resume();
        return done.future();
    }

    /** The body's memory goes back however the request ended (answered, refused later, failed, disconnected). */
    @Override
    public void leave(Exchange x, Outcome outcome) {
        release(x);
    }

    /**
     * This stage refuses: it will not be left, so it gives the memory back itself, and drops what it read (the
     * handler that holds it stays registered while the rest of the body is read and thrown away).
     */
    private void refuse(Exchange x, Promise<Void> done, Refusal r, BodyBytes body) {
        body.clear();
        if (done.tryFail(new Refusal.Refused(r))) release(x);
    }

    private void release(Exchange x) {
        memory.give(x.bodyBytesHeld);
        x.bodyBytesHeld = 0;
    }

    private Future<Void> busy(Exchange x) {
        x.request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        return Refusal.fail(busyRefusal());
    }

    private Refusal busyRefusal() {
        return new Refusal.Unavailable("the gateway is holding as many request bodies as its memory allows; retry shortly");
    }

    private Future<Void> tooLarge() {
        return Refusal.fail(tooLargeRefusal());
    }

    private Refusal tooLargeRefusal() {
        return new Refusal.TooLarge("request body is larger than " + limitBytes + " bytes");
    }

    /**
     * The body's bytes, copied once: into an array of the declared size when there is one (no doubling growth),
     * else kept as the chunks Vert.x handed over and joined once at the end.
     */
    static final class BodyBytes {
        private byte[] array;
        private ArrayList<Buffer> chunks;
        private int length;

        BodyBytes(int expected) {
            array = new byte[expected];
        }

        int length() {
            return length;
        }

        void clear() {
            array = null;
            chunks = null;
            length = 0;
        }

        void add(Buffer chunk) {
            int n = chunk.length();
            if (array != null && length + n <= array.length) {
                chunk.getBytes(array, length);
            } else {
                if (chunks == null) {
                    chunks = new ArrayList<>();
                    if (length > 0) chunks.add(BufferInternal.buffer(Unpooled.wrappedBuffer(array, 0, length)));
                    array = null;
                }
                chunks.add(chunk);
            }
            length += n;
        }

        byte[] bytes() {
            if (chunks == null) return length == array.length ? array : java.util.Arrays.copyOf(array, length);
            byte[] out = new byte[length];
            int at = 0;
            for (Buffer c : chunks) {
                c.getBytes(out, at);
                at += c.length();
            }
            return out;
        }
    }
}
