package io.bricksllm.policy.detect;

/**
 * PINs: 4–8 digits after a "PIN" label ("PIN: 4921", "my pin is 0000", "PIN code 1234"). Six digits
 * after "pin code" are an Indian postal code, not a PIN.
 */
final class PinDetector extends LabelledValueDetector {

    PinDetector() {
        super(PiiEntity.PIN, "pin");
    }

    @Override
    int valueEnd(ScanText t, int start, char quote, boolean explicit, String connector) {
        int end = digitsEnd(t, start, 4, 8);
        if (end > 0 && end - start == 6 && connector.contains("code ")) return -1;
        return end;
    }
}
