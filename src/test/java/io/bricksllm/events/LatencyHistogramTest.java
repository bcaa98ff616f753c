package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The buckets and the percentile error bound the README states: within 1/64 of the exact value, exact below 64 ms. */
class LatencyHistogramTest {

    @Test
    void bucketsTileTheLatenciesWithAtMostOneThirtySecondRelativeWidth() {
        long expectedLow = 0;
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            assertThat(LatencyHistogram.low(b)).as("bucket %d starts where %d ended", b, b - 1).isEqualTo(expectedLow);
            long w = LatencyHistogram.width(b);
            if (b >= LatencyHistogram.EXACT) assertThat(w * 32).isLessThanOrEqualTo(LatencyHistogram.low(b));
            else assertThat(w).isEqualTo(1);
            assertThat(LatencyHistogram.bucket(LatencyHistogram.low(b))).isEqualTo(b);
            assertThat(LatencyHistogram.bucket(LatencyHistogram.low(b) + w - 1)).isEqualTo(b);
            expectedLow += w;
        }
        assertThat(expectedLow).as("the last bucket ends at 2^31").isEqualTo(1L << 31);
        assertThat(LatencyHistogram.bucket(Integer.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(-5)).isZero();
        for (long v = 0; v < 1 << 20; v++) { // every latency up to ~17 min: its bucket's middle is within 1/64
            double m = LatencyHistogram.middle(LatencyHistogram.bucket(v));
            assertThat(Math.abs(m - v)).isLessThanOrEqualTo(v / 64.0);
            if (v < 64) assertThat(m).isEqualTo(v);
        }
    }

    @Test
    void encodedFormRoundTripsAndMergesAsAddition() {
        Random rnd = new Random(5);
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram both = new LatencyHistogram();
        for (int i = 0; i < 5_000; i++) {
            long v = (long) Math.exp(rnd.nextDouble() * 14);
            (i % 3 == 0 ? a : b).add(v);
            both.add(v);
        }
        assertThat(LatencyHistogram.decode(a.encode())).isEqualTo(a);
        assertThat(LatencyHistogram.merge(a.encode(), b.encode())).isEqualTo(both.encode());
        assertThat(LatencyHistogram.merge("", b.encode())).isEqualTo(b.encode());
        assertThat(both.count()).isEqualTo(5_000);
        assertThat(new LatencyHistogram().encode()).isEmpty();
        assertThat(new LatencyHistogram().percentile(0.5)).isZero();
    }

    @Test
    void percentilesAreWithinOneSixtyFourthOfTheExactOnes() {
        Random rnd = new Random(9);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 3_000);
            List<Long> values = new ArrayList<>();
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < n; i++) {
                long v = (long) Math.exp(rnd.nextDouble() * 16); // 1 ms .. ~2.5 h, log-uniform
                values.add(v);
                h.add(v);
            }
            values.sort(null);
            for (double f : new double[] {0, 0.01, 0.5, 0.9, 0.99, 0.999, 1}) {
                double exact = exact(values, f);
                assertThat(Math.abs(h.percentile(f) - exact)).as("n=%d f=%s", n, f).isLessThanOrEqualTo(exact / 64);
            }
        }
    }

    /** EventRepository.latencyPercentiles' definition: linear between the two nearest ranks. */
    static double exact(List<Long> sorted, double f) {
        double position = f * (sorted.size() - 1);
        long lo = sorted.get((int) Math.floor(position));
        long hi = sorted.get((int) Math.ceil(position));
        return lo + (hi - lo) * (position - Math.floor(position));
    }
}
