package io.bricksllm.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all in-flight request bodies of the gateway may hold together. A body is admitted only while it fits,
 * so a few huge requests cannot exhaust the heap and stall every other request; a refused one is answered 503
 * with Retry-After (it may fit a moment later). Shared by every event loop.
 */
public final class BodyMemory {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyMemory(long capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit beside what is held; false (nothing taken) when they do not. */
    public boolean tryTake(long bytes) {
        if (bytes <= 0) return true;
        long now;
        do {
            now = used.get();
            if (now + bytes > capacity) return false;
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    public void give(long bytes) {
        if (bytes > 0) used.addAndGet(-bytes);
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }
}
