package io.bricksllm.events;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink's bounded queue, lock-free: publishers on several event loops never wait on a lock or wake a
 * thread (a blocking queue's lock made two event loops park and unpark each other). The writer looks at it
 * on its own schedule.
 */
public final class EventQueue {
    private final ConcurrentLinkedQueue<Event> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    public EventQueue(int capacity) {
        this.capacity = capacity;
    }

    /** False when full. */
    public boolean offer(Event e) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        items.offer(e);
        return true;
    }

    public Event poll() {
        Event e = items.poll();
        if (e != null) size.decrementAndGet();
        return e;
    }

    /** Moves at most {@code max} events into {@code to}; returns how many. */
    public int drainTo(List<Event> to, int max) {
        int n = 0;
        for (Event e; n < max && (e = poll()) != null; n++) to.add(e);
        return n;
    }

    public boolean remove(Event e) {
        if (!items.remove(e)) return false;
        size.decrementAndGet();
        return true;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return Math.max(0, size.get());
    }
}
