package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BankCodeDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "IBAN «DE89370400440532013000».",
        "pay to «GB82 WEST 1234 5698 7654 32» by Friday",
        "«FR1420041010050500013M02606» (France)",
        "NL: «NL91ABNA0417164300», UK: «GB29 NWBK 6016 1331 9268 19»",
    })
    void findsIbansWithTheirCountryLengthAndMod97(String marked) {
        Cases.assertFinds(PiiEntity.INTERNATIONAL_BANK_ACCOUNT_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "bad check DE89370400440532013001",
        "wrong length for DE: DE8937040044053201300",
        "unknown country QQ89370400440532013000",
        "groups broken GB82 WEST 12345698765432",
        "longer token DE89370400440532013000X",
    })
    void ignoresIbanLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.INTERNATIONAL_BANK_ACCOUNT_NUMBER, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "SWIFT code «DEUTDEFF»",
        "BIC: «NEDSZAJJXXX»",
        "branch «DEUTDEFF500» in Frankfurt",
        "send via «BOFAUS3N»",
    })
    void findsSwiftCodes(String marked) {
        Cases.assertFinds(PiiEntity.SWIFT_CODE, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "READ THE DOCUMENT CAREFULLY",
        "unlabelled all-letter DEUTDEFF",
        "country QQ is not a country: DEUTQQFF500",
        "mixed case DeutDeFF500",
        "nine characters DEUTDEFF5",
    })
    void ignoresUpperCaseWordsAndBadCountries(String text) {
        Cases.assertNothing(PiiEntity.SWIFT_CODE, text);
    }
}
