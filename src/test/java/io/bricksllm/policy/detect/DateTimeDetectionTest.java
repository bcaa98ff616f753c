package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimeDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "born «1990-04-23».",
        "at «2024-01-15T10:30:00Z» the job ran",
        "log «2024-01-15 10:30:00.123» line",
        "offset «2024-01-15T10:30:00+05:30»",
        "on «15/01/2024» or «01/15/2024»",
        "European «15.01.2024» style",
        "short year «3/4/24»",
        "«15 January 2024» and «1st of May»",
        "«March 3rd, 2024» was a Sunday",
        "due «Jan 5» or «Sept. 12, 2025»",
        "«December 2023» report",
        "meet at «10:30» or «23:59:59»",
        "call at «3:45 pm», or «11am», or «7 p.m.»",
    })
    void findsDatesAndTimes(String marked) {
        Cases.assertFinds(PiiEntity.DATE_TIME, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "version 1.2.3 and 1.2.34",
        "ip 10.10.10.10",
        "month 13: 2024-13-01 and 13/13/2024",
        "day 32: 2024-01-32",
        "time 24:00 and 10:60",
        "ratio 16:9 and 1:1",
        "phone 415-555-2671",
        "you may have 5 apples",
        "Mark 3 and Marching 5",
        "in 2024 alone",
        "13 pm is not a time",
        "ssn 123-45-6789",
    })
    void ignoresVersionsRatiosAndImpossibleDates(String text) {
        Cases.assertNothing(PiiEntity.DATE_TIME, text);
    }
}
