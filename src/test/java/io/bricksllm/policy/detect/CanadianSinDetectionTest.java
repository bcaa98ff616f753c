package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanadianSinDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "SIN «130 692 544»",
        "my number is «193-456-787».",
        "social insurance number «123456782»",
    })
    void findsSinsWithAValidLuhnDigit(String marked) {
        Cases.assertFinds(PiiEntity.CA_SOCIAL_INSURANCE_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "bad check digit 130 692 545",
        "first digit 0 is never issued 046 454 286",
        "first digit 8 is never issued 812 345 674",
        "unlabelled nine digits 123456782",
        "phone 613-555-0199",
        "all the same 999 999 999",
        "tail of a longer number 1 130 692 544",
    })
    void ignoresSinLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.CA_SOCIAL_INSURANCE_NUMBER, text);
    }
}
