package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndiaDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Aadhaar «2341 2341 2346»",
        "UID «4991-2345-6783» attached",
        "my aadhaar number is «567812345678».",
    })
    void findsAadhaarNumbersWithAValidVerhoeffDigit(String marked) {
        Cases.assertFinds(PiiEntity.IN_AADHAAR, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "bad check digit 2341 2341 2347",
        "starts with 1: 1341 2341 2346",
        "unlabelled twelve digits 567812345678",
        "card-like 2341 2341 2346 1234",
    })
    void ignoresAadhaarLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.IN_AADHAAR, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PAN «ABCPE1234F»",
        "pan card: «AAACB1234C», firm «BBBFK9999Z»",
    })
    void findsPermanentAccountNumbers(String marked) {
        Cases.assertFinds(PiiEntity.IN_PERMANENT_ACCOUNT_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "category X does not exist: ABCXE1234F",
        "lower case abcpe1234f",
        "too long ABCPE1234FG",
        "shape off ABCP1234FG",
    })
    void ignoresPanLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.IN_PERMANENT_ACCOUNT_NUMBER, text);
    }
}
