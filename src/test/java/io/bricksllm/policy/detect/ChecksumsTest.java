package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "luhn, 4111111111111111, true", "luhn, 4111111111111112, false", "luhn, 130692544, true", "luhn, 130692545, false",
        "verhoeff, 2363, true", "verhoeff, 2364, false", "verhoeff, 234123412346, true", "verhoeff, 234123412347, false",
        "iban, DE89370400440532013000, true", "iban, GB82WEST12345698765432, true", "iban, GB82WEST12345698765433, false",
        "aba, 021000021, true", "aba, 011000015, true", "aba, 021000022, false",
        "nhs, 9434765919, true", "nhs, 9434765918, false", "nhs, 4010232137, true",
        "utr, 2234567890, true", "utr, 1123456789, true", "utr, 3234567890, false",
        "vin, 1HGCM82633A004352, true", "vin, 1M8GDM9AXKP042788, true", "vin, 1HGCM82634A004352, false",
    })
    void validatesCheckDigits(String rule, String value, boolean valid) {
        boolean result = switch (rule) {
            case "luhn" -> Checksums.luhn(value);
            case "verhoeff" -> Checksums.verhoeff(value);
            case "iban" -> Checksums.ibanMod97(value);
            case "aba" -> Checksums.abaRouting(value);
            case "nhs" -> Checksums.nhsMod11(value);
            case "utr" -> Checksums.utrMod11(value);
            case "vin" -> Checksums.vinCheckDigit(value);
            default -> throw new IllegalArgumentException(rule);
        };
        assertThat(result).isEqualTo(valid);
    }
}
