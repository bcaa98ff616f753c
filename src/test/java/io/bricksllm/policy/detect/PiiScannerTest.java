package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiScannerTest {

    private static final String TEXT = "Hi, I'm Jane. Mail jane@example.com or call (415) 555-2671. "
            + "Card 4111 1111 1111 1111 exp 09/27 cvv 123. SSN 123-45-6789. Server 10.0.0.1.";

    @Test
    void allFindsEveryLocalEntityInTextOrder() {
        List<Finding> findings = PiiScanner.all().scan(TEXT);
        assertThat(findings).extracting(Finding::entity).containsExactly(
                PiiEntity.EMAIL, PiiEntity.PHONE, PiiEntity.CREDIT_DEBIT_NUMBER, PiiEntity.CREDIT_DEBIT_EXPIRY,
                PiiEntity.CREDIT_DEBIT_CVV, PiiEntity.SSN, PiiEntity.IP_ADDRESS);
        assertThat(findings).extracting(f -> TEXT.substring(f.start(), f.end())).containsExactly(
                "jane@example.com", "(415) 555-2671", "4111 1111 1111 1111", "09/27", "123", "123-45-6789", "10.0.0.1");
    }

    @Test
    void allCoversEveryLocalEntityAndReportsNothingUnavailable() {
        PiiScanner all = PiiScanner.all();
        assertThat(all.entities()).isEqualTo(PiiEntity.localEntities());
        assertThat(all.unavailable()).isEmpty();
    }

    @Test
    void scansOnlyForTheRequestedEntities() {
        List<Finding> findings = new PiiScanner(EnumSet.of(PiiEntity.EMAIL, PiiEntity.SSN)).scan(TEXT);
        assertThat(findings).extracting(Finding::entity).containsExactly(PiiEntity.EMAIL, PiiEntity.SSN);
    }

    @Test
    void reportsBackendOnlyEntitiesAsUnavailableInsteadOfIgnoringThem() {
        PiiScanner scanner = new PiiScanner(EnumSet.of(PiiEntity.NAME, PiiEntity.ADDRESS, PiiEntity.EMAIL));
        assertThat(scanner.unavailable()).containsExactlyInAnyOrder(PiiEntity.NAME, PiiEntity.ADDRESS);
        assertThat(scanner.entities()).containsExactly(PiiEntity.EMAIL);
        assertThat(scanner.scan(TEXT)).extracting(Finding::entity).containsOnly(PiiEntity.EMAIL);
    }

    @Test
    void aScannerWithNothingLocalToDoReturnsAtOnce() {
        PiiScanner none = new PiiScanner(Set.of(PiiEntity.NAME));
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.scan(TEXT)).isEmpty();
        assertThat(new PiiScanner(Set.of()).scan(TEXT)).isEmpty();
        assertThat(PiiScanner.all().scan("")).isEmpty();
        assertThat(PiiScanner.all().scan(null)).isEmpty();
    }

    @Test
    void plainProseHasNoFindings() {
        String prose = "Please summarise the quarterly report. Revenue grew 12% to $4.5 million in Q3 2024, "
                + "driven by 3 new products and 250 customers; see section 4.2.1 for details (version 1.2.3.4.5).";
        assertThat(PiiScanner.all().scan(prose)).isEmpty();
    }

    @Test
    void mergesOverlappingFindingsOfOneEntity() {
        String text = "IPs ::ffff:192.168.1.1 here";
        List<Finding> findings = new PiiScanner(EnumSet.of(PiiEntity.IP_ADDRESS)).scan(text);
        assertThat(findings).hasSize(1);
        assertThat(text.substring(findings.get(0).start(), findings.get(0).end())).isEqualTo("::ffff:192.168.1.1");
    }

    @Test
    void findingsCarryOffsetsOnlyNeverTheValue() {
        Finding f = PiiScanner.all().scan("mail jane@example.com").get(0);
        assertThat(f.toString()).doesNotContain("jane").doesNotContain("example");
    }

    @Test
    void offsetsStayTrueAfterNonAsciiText() {
        String text = "İstanbul ünïcödé 😀 mail jane@example.com";
        Finding f = PiiScanner.all().scan(text).get(0);
        assertThat(text.substring(f.start(), f.end())).isEqualTo("jane@example.com");
    }

    @Test
    void handlesLargeAdversarialInputInLinearTime() {
        List<String> inputs = List.of(
                "1".repeat(100_000), "1-".repeat(50_000), "1 ".repeat(50_000), "a:".repeat(50_000), "a@".repeat(50_000),
                "021000021 routing ".repeat(5_000), "http://x" + ")".repeat(100_000), "fe80:".repeat(20_000),
                "password: ".repeat(10_000), "secret aws ".repeat(10_000), "AKIA".repeat(25_000), "2024-01-15 ".repeat(10_000));
        PiiScanner all = PiiScanner.all();
        for (String s : inputs) {
            long start = System.nanoTime();
            all.scan(s);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms for %s…", s.substring(0, 12)).isLessThan(10_000); // quadratic work would take minutes
        }
    }

    @Test
    void findsEveryPhoneNumberInALongRunOfThem() {
        String text = "415-555-2671 ".repeat(200);
        List<Finding> findings = new PiiScanner(EnumSet.of(PiiEntity.PHONE)).scan(text);
        assertThat(findings).hasSize(200);
        assertThat(findings).allSatisfy(f -> assertThat(text.substring(f.start(), f.end())).isEqualTo("415-555-2671"));
    }

    @Test
    void neverThrowsOnRandomText() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "0123456789 -./:@+()#=_'\"\nabcxyzAKISPDEFGBXTV\u00e9\u0130\ud83d\ude00";
        PiiScanner all = PiiScanner.all();
        for (int n = 0; n < 2_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(200);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String text = sb.toString();
            for (Finding f : all.scan(text)) assertThat(f.end()).isLessThanOrEqualTo(text.length());
        }
    }
}
