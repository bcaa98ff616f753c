package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksEachFindingSpan() {
        String text = "mail jane@example.com, SSN 123-45-6789.";
        assertThat(Redactor.redact(text, PiiScanner.all().scan(text))).isEqualTo("mail ***, SSN ***.");
    }

    @Test
    void mergesOverlappingAndTouchingSpansIntoOneMask() {
        String text = "0123456789";
        List<Finding> findings = List.of(
                new Finding(PiiEntity.PHONE, 1, 4), new Finding(PiiEntity.SSN, 3, 6), new Finding(PiiEntity.PIN, 6, 7),
                new Finding(PiiEntity.EMAIL, 8, 9));
        assertThat(Redactor.redact(text, findings)).isEqualTo("0***7***9");
    }

    @Test
    void masksOnlyTheFoundOccurrenceNotEveryEqualString() {
        String text = "PIN: 1234. Room 1234 is upstairs.";
        assertThat(Redactor.redact(text, PiiScanner.all().scan(text))).isEqualTo("PIN: ***. Room 1234 is upstairs.");
    }

    @Test
    void acceptsFindingsInAnyOrder() {
        String text = "abcdef";
        List<Finding> findings = List.of(new Finding(PiiEntity.PIN, 4, 5), new Finding(PiiEntity.PIN, 0, 1));
        assertThat(Redactor.redact(text, findings)).isEqualTo("***bcd***f");
    }

    @Test
    void returnsTheSameTextWhenNothingWasFound() {
        String text = "nothing here";
        assertThat(Redactor.redact(text, List.of())).isSameAs(text);
    }

    @Test
    void rejectsSpansOutsideTheText() {
        assertThatThrownBy(() -> Redactor.redact("abc", List.of(new Finding(PiiEntity.PIN, 1, 9))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
