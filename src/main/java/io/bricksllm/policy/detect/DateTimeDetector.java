package io.bricksllm.policy.detect;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and times: ISO dates and date-times ("2024-01-15", "2024-01-15T10:30:00Z"), day/month/year
 * in either order ("15/01/2024", "01-15-24", "15.01.2024"), dates with month names ("15 January
 * 2024", "March 3rd, 2024", "Jan 5"), and clock times ("10:30", "23:59:59", "3:45 pm", "11am"). Every
 * field is range-checked; version numbers ("1.2.3"), scores and phone numbers are not dates.
 */
final class DateTimeDetector extends LocalDetector {

    private static final String MONTH = "(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|May|[Jj]une?"
            + "|[Jj]uly?|[Aa]ug(?:ust)?|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)(?![A-Za-z])\\.?";
    private static final String TIME = "(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?";
    private static final String ORDINAL = "(?:st|nd|rd|th)?";

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})(?:[T ]" + TIME + "(?:Z|[+-]\\d{2}(?::?\\d{2})?)?)?");
    private static final Pattern NUMERIC = Pattern.compile("(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})(?!\\d)");
    private static final Pattern CLOCK = Pattern.compile(TIME + "(?:\\s?([AaPp])\\.?[Mm]\\b\\.?)?");
    private static final Pattern HOUR_MERIDIEM = Pattern.compile("(\\d{1,2})\\s?[AaPp]\\.?[Mm]\\b\\.?");
    private static final Pattern DAY_MONTH = Pattern.compile(
            "(\\d{1,2})" + ORDINAL + "(?:\\s+of)?\\s+" + MONTH + "(?:,?\\s+(\\d{4}))?");
    private static final Pattern MONTH_DAY = Pattern.compile(
            MONTH + "\\s+(?:(\\d{1,2})" + ORDINAL + "(?![\\d:])(?:,?\\s+(\\d{4}))?|(\\d{4}))");
    private static final String MONTH_INITIALS = "JFMASOND";
    /** Longest match: "2024-01-15T10:30:00.123456789+05:30" and some slack. */
    private static final int MAX_LENGTH = 48;

    DateTimeDetector() {
        super(PiiEntity.DATE_TIME);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        int before = out.size();
        if (t.digitCount() > 0) findNumeric(t, out);
        findMonthFirst(t, out);
        if (out.size() - before > 1) out.subList(before, out.size()).sort(PiiScanner.ORDER);
    }

    private void findNumeric(ScanText t, List<Finding> out) {
        Matcher iso = matcher(ISO, t);
        Matcher numeric = matcher(NUMERIC, t);
        Matcher clock = matcher(CLOCK, t);
        Matcher meridiem = matcher(HOUR_MERIDIEM, t);
        Matcher dayMonth = matcher(DAY_MONTH, t);
        int floor = 0;
        for (int k = 0; k < t.numberCount(); k++) {
            int s = t.numberStart(k);
            if (s < floor) continue;
            int run = 1;
            while (ScanText.isDigit(t.at(s + run))) run++;
            char next = t.at(s + run);
            int end = -1;
            if (run == 4 && (next == '-' || next == '/' || next == '.')) {
                end = match(iso, t, s) ? isoEnd(iso) : -1;
            } else if (run <= 2) {
                if (next == '-' || next == '/' || next == '.') end = match(numeric, t, s) ? numericEnd(numeric) : -1;
                else if (next == ':') end = match(clock, t, s) ? clockEnd(clock) : -1;
                else if (next == ' ' || ScanText.isAsciiLetter(next)) {
                    if (monthFollows(t, s + run) && match(dayMonth, t, s)) end = dayMonthEnd(dayMonth);
                    if (end < 0 && meridiemFollows(t, s + run) && match(meridiem, t, s) && between(meridiem.group(1), 1, 12)) {
                        end = meridiem.end();
                    }
                }
            }
            if (end > 0 && t.endsFree(end)) {
                add(out, s, end);
                floor = end;
            }
        }
    }

    private void findMonthFirst(ScanText t, List<Finding> out) {
        Matcher monthDay = null;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (MONTH_INITIALS.indexOf(t.charAt(s)) < 0 || !monthAt(t, s)) continue;
            if (monthDay == null) monthDay = matcher(MONTH_DAY, t);
            if (!match(monthDay, t, s) || overlapsEarlier(out, s)) continue;
            boolean valid = monthDay.group(1) != null ? between(monthDay.group(1), 1, 31) : between(monthDay.group(3), 1000, 2999);
            if (valid && (monthDay.group(2) == null || between(monthDay.group(2), 1000, 2999)) && t.endsFree(monthDay.end())) {
                add(out, s, monthDay.end());
            }
        }
    }

    /** Cheap test before {@link #DAY_MONTH}: after the day, an optional ordinal and "of", a month name starts. */
    private static boolean monthFollows(ScanText t, int i) {
        if (ScanText.isAsciiLetter(t.at(i)) && ScanText.isAsciiLetter(t.at(i + 1)) && !ScanText.isAsciiLetter(t.at(i + 2))) i += 2;
        if (t.at(i) != ' ') return false;
        while (t.at(i) == ' ') i++;
        if (t.lower().startsWith("of ", i)) {
            i += 2;
            while (t.at(i) == ' ') i++;
        }
        return monthAt(t, i);
    }

    /** Whether the first three letters at i name a month ("May" only capitalised: "may" is a verb). */
    private static boolean monthAt(ScanText t, int i) {
        if (i + 3 > t.length) return false;
        String l = t.lower();
        return switch (l.charAt(i)) {
            case 'j' -> l.startsWith("jan", i) || l.startsWith("jun", i) || l.startsWith("jul", i);
            case 'f' -> l.startsWith("feb", i);
            case 'm' -> l.startsWith("mar", i) || t.text.startsWith("May", i);
            case 'a' -> l.startsWith("apr", i) || l.startsWith("aug", i);
            case 's' -> l.startsWith("sep", i);
            case 'o' -> l.startsWith("oct", i);
            case 'n' -> l.startsWith("nov", i);
            case 'd' -> l.startsWith("dec", i);
            default -> false;
        };
    }

    /** Cheap test before {@link #HOUR_MERIDIEM}: "am"/"pm" (or "a.m.") follows the hour. */
    private static boolean meridiemFollows(ScanText t, int i) {
        if (t.at(i) == ' ') i++;
        char c = (char) (t.at(i) | 0x20);
        if (c != 'a' && c != 'p') return false;
        if (t.at(i + 1) == '.') i++;
        return (t.at(i + 1) | 0x20) == 'm';
    }

    private static Matcher matcher(Pattern p, ScanText t) {
        return p.matcher(t.text).useTransparentBounds(true).useAnchoringBounds(false);
    }

    private static boolean match(Matcher m, ScanText t, int s) {
        m.region(s, Math.min(t.length, s + MAX_LENGTH));
        return m.lookingAt();
    }

    private static boolean overlapsEarlier(List<Finding> out, int s) {
        for (int k = out.size() - 1; k >= 0; k--) {
            Finding f = out.get(k);
            if (f.entity() != PiiEntity.DATE_TIME) break;
            if (f.start() <= s && s < f.end()) return true;
        }
        return false;
    }

    private static int isoEnd(Matcher m) {
        if (!between(m.group(1), 1000, 2999) || !between(m.group(3), 1, 12) || !between(m.group(4), 1, 31)) return -1;
        if (m.group(5) != null && !validTime(m.group(5), m.group(6), m.group(7), false)) return m.start(5) - 1;
        return m.end();
    }

    private static int numericEnd(Matcher m) {
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(3));
        String year = m.group(4);
        if (m.group(2).equals(".") && year.length() == 2) return -1; // "1.2.34" is a version
        if (year.length() == 4 && !between(year, 1000, 2999)) return -1;
        boolean dayFirst = a >= 1 && a <= 31 && b >= 1 && b <= 12;
        boolean monthFirst = a >= 1 && a <= 12 && b >= 1 && b <= 31;
        return dayFirst || monthFirst ? m.end() : -1;
    }

    private static int clockEnd(Matcher m) {
        return validTime(m.group(1), m.group(2), m.group(3), m.group(4) != null) ? m.end() : -1;
    }

    private static int dayMonthEnd(Matcher m) {
        if (!between(m.group(1), 1, 31)) return -1;
        return m.group(2) == null || between(m.group(2), 1000, 2999) ? m.end() : -1;
    }

    private static boolean validTime(String h, String m, String s, boolean twelveHour) {
        return (twelveHour ? between(h, 1, 12) : between(h, 0, 23)) && between(m, 0, 59) && (s == null || between(s, 0, 60));
    }

    private static boolean between(String digits, int min, int max) {
        int v = Integer.parseInt(digits);
        return v >= min && v <= max;
    }
}
