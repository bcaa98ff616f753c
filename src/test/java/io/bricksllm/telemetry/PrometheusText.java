package io.bricksllm.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line must be a comment, a HELP/TYPE line
 * or a sample with a valid metric name, valid label names, well-escaped label values and a float value.
 */
final class PrometheusText {
    static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP_OR_TYPE = Pattern.compile("# (HELP|TYPE) (\\S+)(?: (.*))?");
    private static final Pattern SAMPLE = Pattern.compile("([^{\\s]+)(\\{(.*)})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the first bad line. */
    static PrometheusText parse(String text) {
        PrometheusText t = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            try {
                t.line(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + " is not valid Prometheus text: " + e.getMessage() + ": " + line);
            }
        }
        for (Sample s : t.samples) {
            if (family(s.name, t.types) == null) throw new IllegalArgumentException("sample " + s.name + " has no # TYPE");
        }
        return t;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            Matcher m = HELP_OR_TYPE.matcher(line);
            if (!m.matches()) {
                if (line.startsWith("# HELP") || line.startsWith("# TYPE")) throw new IllegalArgumentException("bad HELP/TYPE");
                return; // a plain comment
            }
            name(m.group(2));
            if (m.group(1).equals("TYPE")) {
                if (!TYPES.contains(m.group(3))) throw new IllegalArgumentException("unknown type " + m.group(3));
                if (types.put(m.group(2), m.group(3)) != null) throw new IllegalArgumentException("second TYPE");
            }
            return;
        }
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) throw new IllegalArgumentException("not a sample");
        name(m.group(1));
        if (!VALUE.matcher(m.group(4)).matches()) throw new IllegalArgumentException("bad value " + m.group(4));
        Map<String, String> labels = m.group(3) == null ? Map.of() : parseLabels(m.group(3));
        String v = m.group(4);
        double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
        samples.add(new Sample(m.group(1), labels, value));
    }

    private static void name(String name) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid metric name " + name);
    }

    private static Map<String, String> parseLabels(String s) {
        Map<String, String> labels = new TreeMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) throw new IllegalArgumentException("label without '='");
            String key = s.substring(i, eq);
            if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) throw new IllegalArgumentException("invalid label name " + key);
            if (eq + 1 >= s.length() || s.charAt(eq + 1) != '"') throw new IllegalArgumentException("unquoted label value");
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < s.length() && s.charAt(j) != '"'; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    char e = s.charAt(++j);
                    if (e == 'n') v.append('\n');
                    else if (e == '\\' || e == '"') v.append(e);
                    else throw new IllegalArgumentException("bad escape \\" + e);
                } else {
                    v.append(c);
                }
            }
            if (j >= s.length()) throw new IllegalArgumentException("unterminated label value");
            if (labels.put(key, v.toString()) != null) throw new IllegalArgumentException("duplicate label " + key);
            i = j + 1;
            if (i < s.length()) {
                if (s.charAt(i) != ',') throw new IllegalArgumentException("expected ',' between labels");
                i++;
            }
        }
        return labels;
    }

    /** The family a sample belongs to: its own name, or without _bucket/_count/_sum/_total suffix. */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) return sample;
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (sample.endsWith(suffix)) {
                String f = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(f)) return f;
            }
        }
        return null;
    }

    /** The value of the one sample with exactly these labels, or null when there is none. */
    Double value(String name, Map<String, String> labels) {
        Double found = null;
        for (Sample s : samples) {
            if (s.name.equals(name) && s.labels.equals(labels)) {
                if (found != null) throw new IllegalStateException("two samples " + name + labels);
                found = s.value;
            }
        }
        return found;
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name.equals(name)).toList();
    }

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
