package io.bricksllm.dialect;

import java.util.OptionalLong;

/**
 * Token counts; empty means "not reported", which is not 0. {@code input} is the whole prompt,
 * cached parts included; {@code cacheRead} and {@code cacheWrite} are details of it, as
 * {@code reasoning} is a detail of {@code output}.
 */
public record Usage(OptionalLong input, OptionalLong output, OptionalLong cacheRead, OptionalLong cacheWrite,
        OptionalLong reasoning) {

    public static final Usage NOT_REPORTED = new Usage(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    public boolean isReported() {
        return !equals(NOT_REPORTED);
    }

    /** Counts in {@code later} replace these; streams report cumulative counts, never increments. */
    public Usage updatedBy(Usage later) {
        return new Usage(pick(later.input, input), pick(later.output, output), pick(later.cacheRead, cacheRead),
                pick(later.cacheWrite, cacheWrite), pick(later.reasoning, reasoning));
    }

    private static OptionalLong pick(OptionalLong later, OptionalLong earlier) {
        return later.isPresent() ? later : earlier;
    }
}
