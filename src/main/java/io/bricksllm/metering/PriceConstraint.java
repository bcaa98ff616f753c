package io.bricksllm.metering;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * When one of a model's conditional prices applies: always, from a date on (announced price
 * changes), or during a daily window (off-peak discounts). Dates and times are UTC.
 */
sealed interface PriceConstraint {

    boolean activeAt(Instant now);

    record Always() implements PriceConstraint {
        @Override
        public boolean activeAt(Instant now) {
            return true;
        }
    }

    record StartDate(LocalDate from) implements PriceConstraint {
        @Override
        public boolean activeAt(Instant now) {
            return !LocalDate.ofInstant(now, ZoneOffset.UTC).isBefore(from);
        }
    }

    /** {@code [start, end)} within a day; a window whose end is before its start wraps midnight. */
    record TimeOfDay(OffsetTime start, OffsetTime end) implements PriceConstraint {
        @Override
        public boolean activeAt(Instant now) {
            LocalTime t = LocalTime.ofInstant(now, ZoneOffset.UTC);
            LocalTime from = start.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
            LocalTime to = end.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
            return !from.isAfter(to)
                    ? !t.isBefore(from) && t.isBefore(to)
                    : !t.isBefore(from) || t.isBefore(to);
        }
    }
}
