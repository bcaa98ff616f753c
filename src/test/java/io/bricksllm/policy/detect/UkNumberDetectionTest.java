package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UkNumberDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "NI number «AB123456C».",
        "national insurance «AB 12 34 56 C»",
        "«JG 103759 A» on the payslip",
        "two: «CE123456D», «HK654321A»",
    })
    void findsNationalInsuranceNumbers(String marked) {
        Cases.assertFinds(PiiEntity.UK_NATIONAL_INSURANCE_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "prefix D: DA123456C",
        "second letter O: AO123456C",
        "reserved prefix GB123456C and BG123456A and ZZ123456B",
        "suffix E: AB123456E",
        "too few digits AB12345C",
        "lower case ab123456c",
        "glued XAB123456C",
    })
    void ignoresNinoLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.UK_NATIONAL_INSURANCE_NUMBER, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "NHS number «943 476 5919»",
        "nhs no: «9434765919».",
        "My NHS number is «401-023-2137»",
    })
    void findsNhsNumbersNextToALabel(String marked) {
        Cases.assertFinds(PiiEntity.UK_NATIONAL_HEALTH_SERVICE_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "NHS number 943 476 5918 fails mod 11",
        "valid digits but no label: call 943 476 5919",
        "NHS 000 000 0000",
    })
    void ignoresNhsLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.UK_NATIONAL_HEALTH_SERVICE_NUMBER, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "UTR «2234567890»",
        "Unique Taxpayer Reference: «1123456789K»",
        "self assessment UTR «22345 67890»",
    })
    void findsTaxpayerReferencesNextToALabel(String marked) {
        Cases.assertFinds(PiiEntity.UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "UTR 3234567890 fails the check digit",
        "valid but unlabelled 2234567890",
    })
    void ignoresUtrLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER, text);
    }
}
