package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * Scans stay linear in the text's length and cheap on repetitive phone-like text (thread CPU time, so that a
 * loaded machine does not decide). Quadratic work shows as a ~100x cost for 10x the text.
 */
class ScanCostTest {
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    static String repeat(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    /** CPU milliseconds of the best of three scans. */
    static double cpuMillis(PiiScanner scanner, String text) {
        scanner.scan(text);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long c0 = CPU.getCurrentThreadCpuTime();
            scanner.scan(text);
            best = Math.min(best, CPU.getCurrentThreadCpuTime() - c0);
        }
        return best / 1e6;
    }

    @Test
    void urlScanningIsLinearOnTextFullOfAddressesWithoutWww() {
        PiiScanner urls = new PiiScanner(java.util.EnumSet.of(PiiEntity.URL));
        double small = cpuMillis(urls, repeat("https://a.b/c?d=(e) ", 100 << 10));
        double large = cpuMillis(urls, repeat("https://a.b/c?d=(e) ", 1 << 20));
        assertThat(large).as("1 MB: %.1f ms, 100 KB: %.1f ms", large, small).isLessThan(Math.max(small, 1) * 30);
    }

    @Test
    void repetitivePhoneLikeTextCostsLittle() {
        PiiScanner phones = new PiiScanner(java.util.EnumSet.of(PiiEntity.PHONE));
        // was ~2.7 ms per KB (2.7 s for this megabyte): the library was asked about every window again
        assertThat(cpuMillis(phones, repeat("+1 555 0100 ", 1 << 20))).isLessThan(500);
        String numbers = repeat("(415) 555-2671 ", 1 << 20);
        assertThat(cpuMillis(phones, numbers)).isLessThan(500);
        assertThat(phones.scan(numbers)).hasSize((1 << 20) / 15);
    }
}
