package io.bricksllm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's time.ParseDuration is the contract: ttl and every *_TIME_OUT / *_INTERVAL variable use it. */
class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "0, 0",
            "-0, 0",
            "+0, 0",
            "0s, 0",
            "1ns, 1",
            "1us, 1000",
            "1µs, 1000",
            "1μs, 1000",
            "500ms, 500000000",
            "10s, 10000000000",
            "10m, 600000000000",
            "2h, 7200000000000",
            "1h30m, 5400000000000",
            "1h30m15s250ms, 5415250000000",
            "1.5s, 1500000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "1.5ns, 1",
            "0.1h, 360000000000",
            "-1s, -1000000000",
            "+2m, 120000000000",
            "9223372036854775807ns, 9223372036854775807",
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
        assertThat(GoDuration.isValid(text)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" is not a duration")
    @ValueSource(strings = {"", "1", "s", "-", "+", ".s", "1d", "1w", "1y", "1S", "1H", "1 s", " 1s", "1s ", "1h 30m",
            "1e3s", "1,5s", "abc", "10mo", "--1s", "1s-1s", "00"})
    void rejectsWhatGoRejects(String text) {
        assertThat(GoDuration.isValid(text)).isFalse();
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNull() {
        assertThat(GoDuration.isValid(null)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" overflows")
    @ValueSource(strings = {"9223372036854775808ns", "2562048h", "100000000000h", "-2562048h", "300000000000000s"})
    void rejectsDurationsThatOverflowLikeGo(String text) {
        // Go answers "invalid duration" past ±292 years; wrapping around would turn a long ttl into a negative one.
        assertThat(GoDuration.isValid(text)).isFalse();
    }

    @Test
    void largestGoDurationInHoursIsAccepted() {
        assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
    }

    /** Go's time.Duration.String(), as OpenAI writes x-ratelimit-reset-requests ("6m0s", "20ms", "1s"). */
    @ParameterizedTest(name = "{0} ns → {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "1500, 1.5µs",
            "20000000, 20ms",
            "1500000, 1.5ms",
            "1000000000, 1s",
            "29750000000, 29.75s",
            "360000000000, 6m0s",
            "361500000000, 6m1.5s",
            "3600000000000, 1h0m0s",
            "86399000000000, 23h59m59s",
            "-1500000000, -1.5s",
    })
    void formatsAsGoDoes(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }
}
