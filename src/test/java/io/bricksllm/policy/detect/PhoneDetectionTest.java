package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Call me at «(415) 555-2671» tomorrow.",
        "cell: «415-555-2671», office «+1 212 555 0123»",
        "UK office «+44 20 7946 0958».",
        "Berlin «+49 30 901820»",
        "India «+91 98765 43210» and France «+33 1 42 68 53 00»",
        "dots «650.253.0000» work",
    })
    void findsNationalAndInternationalPhoneNumbers(String marked) {
        Cases.assertFinds(PiiEntity.PHONE, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "timestamp 2024-01-15 10:30:00",
        "date 15/01/2024 and 01/15/2024",
        "order 123456789012 shipped",
        "invoice INV1234567890",
        "invoice #INV-2024-001234 and ref.415-555-2671",
        "card 4111 1111 1111 1111",
        "version 1.2.3.4.5",
        "short 12345",
        "ssn 123-45-6789",
        "US numbers cannot start with 1 or 0 in the area code: 123-456-7890",
        "ip 192.168.100.200",
    })
    void ignoresDigitRunsThatAreNotPhoneNumbers(String text) {
        Cases.assertNothing(PiiEntity.PHONE, text);
    }
}
