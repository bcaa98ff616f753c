package io.bricksllm.policy.detect;

import java.nio.CharBuffer;
import java.util.List;

/**
 * International bank account numbers: a country code, two check digits and the country's BBAN, compact
 * ("DE89370400440532013000") or in groups of four ("GB82 WEST 1234 5698 7654 32"), exactly as long as
 * that country's IBANs are and passing the ISO 13616 mod-97 check.
 */
final class IbanDetector extends LocalDetector {

    /** IBAN length per country code (SWIFT IBAN registry, plus French territories using FR's format). */
    private static final byte[] LENGTHS = new byte[26 * 26];

    static {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BL27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18"
                + " DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GF27 GI23 GL18 GP27 GR27 GT28 HR21 HU28 IE22 IL23"
                + " IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MF27 MK19 MN20 MQ27"
                + " MR27 MT31 MU30 NC27 NI28 NL18 NO15 OM23 PF27 PK24 PL28 PM27 PS29 PT25 QA29 RE27 RO24 RS22 RU33 SA24"
                + " SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TF27 TL23 TN24 TR26 UA29 VA22 VG24 WF27 XK20 YE30 YT27";
        for (String entry : table.split(" ")) {
            LENGTHS[index(entry.charAt(0), entry.charAt(1))] = Byte.parseByte(entry.substring(2));
        }
    }

    private static int index(char a, char b) {
        return (a - 'A') * 26 + (b - 'A');
    }

    IbanDetector() {
        super(PiiEntity.INTERNATIONAL_BANK_ACCOUNT_NUMBER);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < 4) return;
        char[] compact = new char[34];
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            char a = t.charAt(s);
            char b = t.at(s + 1);
            if (!ScanText.isUpper(a) || !ScanText.isUpper(b) || !ScanText.isDigit(t.at(s + 2)) || !ScanText.isDigit(t.at(s + 3))) {
                continue;
            }
            int length = LENGTHS[index(a, b)];
            if (length == 0) continue;
            int end = read(t, s, length, compact);
            if (end > 0 && t.endsFree(end) && Checksums.ibanMod97(CharBuffer.wrap(compact, 0, length))) {
                add(out, s, end);
            }
        }
    }

    /** Reads exactly length upper-case letters and digits, compact or space-separated in fours; the end, or -1. */
    private static int read(ScanText t, int s, int length, char[] into) {
        boolean spaced = t.at(s + 4) == ' ';
        int i = s;
        for (int count = 0; count < length; count++) {
            if (spaced && count > 0 && count % 4 == 0) {
                if (t.at(i) != ' ') return -1;
                i++;
            }
            char c = t.at(i);
            if (!ScanText.isUpper(c) && !ScanText.isDigit(c)) return -1;
            into[count] = c;
            i++;
        }
        return i;
    }
}
