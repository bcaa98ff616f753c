package io.bricksllm.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** Fixed, calendar-aligned UTC windows of rate and cost limits (BEHAVIOUR.md §6.2). */
public enum Window {
    SECOND("s"), MINUTE("m"), HOUR("h"), DAY("d"), MONTH("mo");

    private final String unit;

    Window(String unit) {
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }

    public static Optional<Window> ofUnit(String unit) {
        for (Window w : values()) if (w.unit.equals(unit)) return Optional.of(w);
        return Optional.empty();
    }

    /** Start of the window containing {@code now}, epoch milliseconds. */
    public long start(Instant now) {
        long ms = now.toEpochMilli();
        return switch (this) {
            case SECOND -> ms - Math.floorMod(ms, 1_000L);
            case MINUTE -> ms - Math.floorMod(ms, 60_000L);
            case HOUR -> ms - Math.floorMod(ms, 3_600_000L);
            case DAY -> ms - Math.floorMod(ms, 86_400_000L);
            case MONTH -> {
                LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
                yield d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
        };
    }

    /** End (exclusive) of the window containing {@code now}, epoch milliseconds. */
    public long end(Instant now) {
        long start = start(now);
        return switch (this) {
            case SECOND -> start + 1_000L;
            case MINUTE -> start + 60_000L;
            case HOUR -> start + 3_600_000L;
            case DAY -> start + 86_400_000L;
            case MONTH -> ZonedDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
        };
    }
}
