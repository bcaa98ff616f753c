package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsNumberDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "My SSN is «123-45-6789».",
        "ssn: «078-05-1121»",
        "spaced «536 22 1234» works too",
        "Social security number «536221234» on the form",
        "two: «219-09-9998» and «536-22-1234»",
    })
    void findsSocialSecurityNumbers(String marked) {
        Cases.assertFinds(PiiEntity.SSN, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "area 000: 000-12-3456",
        "area 666: 666-12-3456",
        "area 9xx: 900-12-3456",
        "group 00: 123-00-4567",
        "serial 0000: 123-45-0000",
        "publicised specimen 078-05-1120",
        "nine digits without a label 536221234",
        "longer run 123-45-6789-1234",
        "glued ref-123-45-6789",
        "mixed separators 123-45 6789",
        "phone 415-555-2671",
        "date 2024-01-15",
    })
    void ignoresNumbersNeverIssuedAsSsns(String text) {
        Cases.assertNothing(PiiEntity.SSN, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "ITIN «912-70-1234»",
        "taxpayer id «999-88-7777»",
        "itin «912701234» bare with a label",
        "spaced «950 99 1111»",
    })
    void findsItinsWithAnIssuedGroup(String marked) {
        Cases.assertFinds(PiiEntity.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "group 93 is never issued: 912-93-1234",
        "group 40: 912-40-1234",
        "first digit not 9: 812-70-1234",
        "bare without a label 912701234",
    })
    void ignoresItinLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "routing number «021000021», account 12345678",
        "ABA: «011000015»",
        "wire to RTN «122105155» today",
        "{\"routing_number\": \"«021000021»\"}",
    })
    void findsRoutingNumbersNextToALabel(String marked) {
        Cases.assertFinds(PiiEntity.BANK_ROUTING, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "checksum-valid but unlabelled 021000021",
        "routing number 021000022 fails the checksum",
        "routing number 991000021 has no Federal Reserve prefix",
        "routing 000000000",
    })
    void ignoresNineDigitRunsThatAreNotRoutingNumbers(String text) {
        Cases.assertNothing(PiiEntity.BANK_ROUTING, text);
    }
}
