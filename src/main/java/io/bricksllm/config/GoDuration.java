package io.bricksllm.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go-style duration strings ("1h30m", "500ms", "1.5s"), the format BricksLLM uses for
 * ttl, timeouts and intervals. There is no day unit, as in Go.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /** @throws IllegalArgumentException when the text is not a valid duration */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty duration");
        String s = text;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            pos = m.end();
        }
        if (pos == 0) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        // Fractions of a nanosecond are dropped, as in Go; past Long.MAX_VALUE ns (~292 years) Go refuses the
        // value, and so do we: a silent wrap-around would turn a long ttl into a negative one.
        BigDecimal whole = nanos.setScale(0, java.math.RoundingMode.DOWN);
        if (whole.compareTo(MAX_NANOS) > 0) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        Duration d = Duration.ofNanos(whole.longValueExact());
        return negative ? d.negated() : d;
    }

    /**
     * Go's {@code time.Duration.String()}: "0s", "20ms", "1.5s", "6m0s", "1h0m0s" — the format of OpenAI's
     * {@code x-ratelimit-reset-*} headers.
     */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) return "0s";
        String sign = ns < 0 ? "-" : "";
        long u = Math.abs(ns);
        if (u < 1_000L) return sign + u + "ns";
        if (u < 1_000_000L) return sign + decimal(u, 1_000L) + "µs";
        if (u < 1_000_000_000L) return sign + decimal(u, 1_000_000L) + "ms";
        long hours = u / 3_600_000_000_000L;
        long minutes = u % 3_600_000_000_000L / 60_000_000_000L;
        StringBuilder b = new StringBuilder(sign);
        if (hours > 0) b.append(hours).append('h');
        if (hours > 0 || minutes > 0) b.append(minutes).append('m');
        return b.append(decimal(u % 60_000_000_000L, 1_000_000_000L)).append('s').toString();
    }

    /** {@code value / unit} in decimal, without trailing zeros ({@code unit} a power of ten). */
    private static String decimal(long value, long unit) {
        long whole = value / unit;
        long fraction = value % unit;
        if (fraction == 0) return Long.toString(whole);
        String digits = Long.toString(unit + fraction).substring(1).replaceAll("0+$", "");
        return whole + "." + digits;
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
