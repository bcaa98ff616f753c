package io.bricksllm.policy.detect;

/** Card security codes: 3 or 4 digits after a "CVV"/"CVC"/"CSC"/"security code" label. */
final class CardCvvDetector extends LabelledValueDetector {

    CardCvvDetector() {
        super(PiiEntity.CREDIT_DEBIT_CVV,
                "cvv", "cvv2", "cvc", "cvc2", "csc", "cvn", "security code", "card verification", "card code");
    }

    @Override
    int valueEnd(ScanText t, int start, char quote, boolean explicit, String connector) {
        return digitsEnd(t, start, 3, 4);
    }
}
