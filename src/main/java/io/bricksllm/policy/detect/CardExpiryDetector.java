package io.bricksllm.policy.detect;

/**
 * Card expiry dates: MM/YY or MM/YYYY (also with '-' or spaces around the separator) after an
 * "exp"/"expiry"/"expires"/"valid thru" label, with a month 1–12 and a year 19xx/20xx when four digits.
 */
final class CardExpiryDetector extends LabelledValueDetector {

    CardExpiryDetector() {
        super(PiiEntity.CREDIT_DEBIT_EXPIRY,
                "exp", "expiry", "expires", "expiration", "expiring", "expiry date", "exp date",
                "valid thru", "valid through", "valid until", "good thru", "good through");
    }

    @Override
    int valueEnd(ScanText t, int start, char quote, boolean explicit, String connector) {
        int i = start;
        while (ScanText.isDigit(t.at(i))) i++;
        int monthDigits = i - start;
        if (monthDigits < 1 || monthDigits > 2) return -1;
        int month = Integer.parseInt(t.text, start, i, 10);
        if (month < 1 || month > 12) return -1;
        if (t.at(i) == ' ') i++;
        if (t.at(i) != '/' && t.at(i) != '-') return -1;
        i++;
        if (t.at(i) == ' ') i++;
        int y = i;
        while (ScanText.isDigit(t.at(i))) i++;
        int yearDigits = i - y;
        if (yearDigits == 4) {
            int year = Integer.parseInt(t.text, y, i, 10);
            if (year < 1900 || year > 2099) return -1;
        } else if (yearDigits != 2) {
            return -1;
        }
        return t.endsFree(i) ? i : -1;
    }
}
