package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VinDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "VIN «1HGCM82633A004352».",
        "check digit X: «1M8GDM9AXKP042788»",
        "car «JH4KA7561PC008269» sold",
    })
    void findsVinsWithAValidCheckDigit(String marked) {
        Cases.assertFinds(PiiEntity.VEHICLE_IDENTIFICATION_NUMBER, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "wrong check digit 1HGCM82634A004352",
        "contains O: 1HGCM82633A0O4352",
        "sixteen chars 1HGCM82633A00435",
        "lower case 1hgcm82633a004352",
        "all letters ABCDEFGHJKLMNPRST",
        "hex sha 9FCEB02D0AE598E95",
    })
    void ignoresVinLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.VEHICLE_IDENTIFICATION_NUMBER, text);
    }
}
