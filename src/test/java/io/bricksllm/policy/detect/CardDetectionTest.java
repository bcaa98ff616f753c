package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Charge my card «4111 1111 1111 1111» please.",
        "visa:«4111-1111-1111-1111», thanks",
        "Mastercard «5555555555554444» expires soon",
        "Amex «3782 822463 10005» on file",
        "Discover «6011111111111117».",
        "JCB «3530111333300000» and Diners «30569309025904»",
        "New Mastercard range «2221 0000 0000 0009»",
        "two cards: «4012888888881881» and «5555 5555 5555 4444»",
    })
    void findsCardNumbersWithAValidLuhnDigitAndIssuer(String marked) {
        Cases.assertFinds(PiiEntity.CREDIT_DEBIT_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "card 4111 1111 1111 1112 has a wrong check digit",
        "order id 1234567812345678 shipped",
        "random digits 8234 5678 9012 3456",
        "epoch millis 1700000000000 and 17000000000000000",
        "tracking 4111111111111111111111 is too long",
        "luhn-valid but no issuer: 9111111111111111 ",
        "glued: ORD-4111111111111111 and 4111111111111111-77",
        "uuid 4111a111-1111-1111-1111-111111111111",
        "phone +1 415 555 2671",
    })
    void ignoresDigitRunsThatAreNotCards(String text) {
        Cases.assertNothing(PiiEntity.CREDIT_DEBIT_NUMBER, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "card 4111 1111 1111 1111 cvv «123»",
        "CVV2: «1234»",
        "the CVC is «987».",
        "security code «456», exp 09/27",
        "\"cvv\": \"«321»\"",
        "card verification value: «789»",
    })
    void findsSecurityCodesAfterACardLabel(String marked) {
        Cases.assertFinds(PiiEntity.CREDIT_DEBIT_CVV, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "I counted 123 apples",
        "cvv 12 is too short and cvv 12345 too long",
        "your verification code is 1234",
        "CVV please, the number 321 came later in this sentence",
    })
    void ignoresNumbersWithoutASecurityCodeLabel(String text) {
        Cases.assertNothing(PiiEntity.CREDIT_DEBIT_CVV, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "card 4111111111111111 exp «09/27» cvv 123",
        "Expiry: «12/2026»",
        "valid thru «01 / 28»",
        "expiration date is «3/29».",
        "Exp. «11-25» then",
        "\"expiry\": \"«06/30»\"",
    })
    void findsExpiryDatesAfterAnExpiryLabel(String marked) {
        Cases.assertFinds(PiiEntity.CREDIT_DEBIT_EXPIRY, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "split 09/27 of the bill",
        "exp 13/27 is not a month",
        "expires 09/275",
        "expiry 09/2150",
        "expires in 3 days",
        "the ratio 1/2 expires",
    })
    void ignoresFractionsAndImpossibleExpiryDates(String text) {
        Cases.assertNothing(PiiEntity.CREDIT_DEBIT_EXPIRY, text);
    }
}
