package io.bricksllm.events;

import java.util.Arrays;

/**
 * Counts of latencies in fixed log-spaced buckets, the part of a rollup row that percentiles are read from (issue 20.4).
 * Buckets: every millisecond below {@link #EXACT} ms is its own bucket; above, each power of two is cut into
 * {@link #SUB} equal buckets, so a bucket is at most 1/32 (3.1 %) of its lower edge wide — 864 buckets up to 2^31 ms.
 * A bucket stands for its middle value, so a percentile read from merged histograms is within 1/64 (1.6 %) of the
 * exact one over the same events (exact below 64 ms); see {@link #percentile}. Negative latencies count as 0.
 *
 * <p>Stored form (column {@code latency_hist}): {@code bucket:count} pairs in increasing bucket order, comma-separated
 * ("" when empty). Text, so PostgreSQL can merge two of them in SQL (function {@code latency_hist_merge}, V16) and
 * SQLite with the same function registered from {@link #merge(String, String)}; a rollup upsert stays one statement.
 * Sparse: an hour of one key × user × model × status class holds a few dozen buckets, not 864.
 *
 * <p>Not thread-safe; a mutable accumulator for one group of one batch, or for one read.
 */
public final class LatencyHistogram {
    static final int EXACT = 64;
    static final int SUB = 32;
    /** Buckets up to Integer.MAX_VALUE ms (the stored latency is an INTEGER). */
    static final int BUCKETS = EXACT + (31 - 6) * SUB;

    private int[] buckets = new int[4];
    private long[] counts = new long[4];
    private int size;

    /** The bucket of a latency in ms. */
    static int bucket(long ms) {
        if (ms < EXACT) return (int) Math.max(0, ms);
        int e = 63 - Long.numberOfLeadingZeros(Math.min(ms, Integer.MAX_VALUE)); // 6..30
        return EXACT + (e - 6) * SUB + (int) ((ms >> (e - 5)) & (SUB - 1));
    }

    /** The smallest latency in bucket b. */
    static long low(int b) {
        if (b < EXACT) return b;
        int e = (b - EXACT) / SUB + 6;
        return (1L << e) + ((long) ((b - EXACT) % SUB) << (e - 5));
    }

    /** The number of integer latencies in bucket b. */
    static long width(int b) {
        return b < EXACT ? 1 : 1L << ((b - EXACT) / SUB + 1);
    }

    /** The value a bucket stands for: its middle, so no latency in it is further than half its width - 1/2 away. */
    static double middle(int b) {
        return low(b) + (width(b) - 1) / 2.0;
    }

    public void add(long latencyMs) {
        add(bucket(latencyMs), 1);
    }

    void add(int bucket, long n) {
        int i = Arrays.binarySearch(buckets, 0, size, bucket);
        if (i >= 0) {
            counts[i] += n;
            return;
        }
        i = -i - 1;
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, i, buckets, i + 1, size - i);
        System.arraycopy(counts, i, counts, i + 1, size - i);
        buckets[i] = bucket;
        counts[i] = n;
        size++;
    }

    public void add(LatencyHistogram h) {
        for (int i = 0; i < h.size; i++) add(h.buckets[i], h.counts[i]);
    }

    /** Adds a stored histogram (see the class comment); a malformed one is an error, not silently skipped. */
    public void addEncoded(String encoded) {
        int n = encoded.length();
        int i = 0;
        while (i < n) {
            int colon = encoded.indexOf(':', i);
            int comma = encoded.indexOf(',', colon);
            if (comma < 0) comma = n;
            add(Integer.parseInt(encoded, i, colon, 10), Long.parseLong(encoded, colon + 1, comma, 10));
            i = comma + 1;
        }
    }

    public static LatencyHistogram decode(String encoded) {
        LatencyHistogram h = new LatencyHistogram();
        h.addEncoded(encoded);
        return h;
    }

    /** The stored form of the sum of two stored histograms. */
    public static String merge(String a, String b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        LatencyHistogram h = decode(a);
        h.addEncoded(b);
        return h.encode();
    }

    public String encode() {
        StringBuilder sb = new StringBuilder(size * 6);
        for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(',');
            sb.append(buckets[i]).append(':').append(counts[i]);
        }
        return sb.toString();
    }

    public long count() {
        long c = 0;
        for (int i = 0; i < size; i++) c += counts[i];
        return c;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The percentile as {@link EventRepository#latencyPercentiles} defines it (linear between the two nearest ranks),
     * with each latency replaced by its bucket's middle. Error bound: each of the two ranked values is off by at most
     * (w - 1) / 2 for a bucket of width w whose lower edge is at least 32 w, so by less than 1/64 of itself; the
     * interpolation between them is then off by less than 1/64 of the exact result. 0 when empty.
     */
    public double percentile(double fraction) {
        long count = count();
        if (count == 0) return 0;
        double position = fraction * (count - 1);
        long lower = (long) Math.floor(position);
        long upper = (long) Math.ceil(position);
        double a = ranked(lower);
        double b = ranked(upper);
        return a + (b - a) * (position - lower);
    }

    private double ranked(long rank) {
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (rank < seen) return middle(buckets[i]);
        }
        return middle(buckets[size - 1]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && encode().equals(h.encode());
    }

    @Override
    public int hashCode() {
        return encode().hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }
}
