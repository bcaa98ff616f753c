package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminEndpoints.Endpoint;
import io.bricksllm.admin.AdminEndpoints.Field;
import io.bricksllm.admin.AdminEndpoints.Shape;
import io.bricksllm.store.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Random admin calls from one seeded {@link Random}, so that the same seed gives the same calls: bodies built
 * from an endpoint's own fields with junk JSON values (null, wrong types, huge numbers, empty, long, unicode and
 * control-character strings, nested lists and objects), most of them mutations of a valid body.
 */
final class FuzzCalls {
    /** One call; {@code body} is null for a call without one. */
    record Call(Endpoint endpoint, String path, String body) {
        @Override
        public String toString() {
            return endpoint.method() + " " + abbreviate(path) + " " + (body == null ? "" : abbreviate(body));
        }
    }

    final Random rnd;
    /** Placeholder (KEY, SETTING, …) to the id of the object the run created for it. */
    private final Map<String, String> fixtures;
    private final List<String> plausible;

    FuzzCalls(Random rnd, Map<String, String> fixtures) {
        this.rnd = rnd;
        this.fixtures = Map.copyOf(fixtures);
        this.plausible = new ArrayList<>(PLAUSIBLE);
        plausible.addAll(fixtures.values());
    }

    Call call(Endpoint e) {
        String body = body(e);
        String path = pathOf(e);
        if (!e.query()) return new Call(e, path, body);
        return new Call(e, path + (path.contains("?") ? "&" : "?") + toQuery(body), null);
    }

    /** Mostly the fixture the path names; sometimes an unknown or strange id. */
    String pathOf(Endpoint e) {
        String known = e.path();
        for (var f : fixtures.entrySet()) known = known.replace(f.getKey(), f.getValue());
        if (known.equals(e.path()) || e.path().contains("?") || rnd.nextInt(10) < 8) return known;
        return known.substring(0, known.lastIndexOf('/') + 1)
                + pick(List.of("no-such-id", "%20", "%00", "..%2F..", "x".repeat(300), "%F0%9F%98%80", "a%2Fb"));
    }

    /** A valid body, one with one to three fields mutated, a random subset of the fields with junk, or junk. */
    String body(Endpoint e) {
        int kind = rnd.nextInt(20);
        String unique = "f" + Long.toHexString(rnd.nextLong());
        if (kind <= 2) return object(base(e, unique));
        if (kind == 3) return junk(3);
        List<Field> fields = e.fields().isEmpty() ? List.of(Field.f("extra")) : e.fields();
        Map<String, String> m;
        if (kind <= 12) {
            m = base(e, unique);
            for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
                Field f = pick(fields);
                m.put(f.name(), value(f, 2));
            }
        } else {
            m = fieldsOf(fields, 2);
        }
        if (rnd.nextInt(10) == 0) m.put(string(), junk(1)); // a field no endpoint knows
        return object(m);
    }

    Map<String, String> fieldsOf(List<Field> fields, int depth) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : fields) if (rnd.nextBoolean()) m.put(f.name(), value(f, depth));
        return m;
    }

    /** A value for a field: plausible for its shape (an object or list of objects of its sub-fields) or junk. */
    String value(Field f, int depth) {
        if (f.shape() == Shape.SCALAR || depth == 0 || rnd.nextInt(4) == 0) return junk(depth);
        Supplier<String> one = () -> object(fieldsOf(f.sub(), depth - 1));
        if (f.shape() == Shape.OBJECT) return one.get();
        List<String> items = new ArrayList<>();
        for (int n = rnd.nextInt(4); n > 0; n--) items.add(one.get());
        return "[" + String.join(",", items) + "]";
    }

    /** Any JSON value: scalars of every kind, and lists and objects of them up to {@code depth} levels. */
    String junk(int depth) {
        int kind = rnd.nextInt(depth <= 0 ? 10 : 17);
        if (kind < 10) return scalar();
        if (kind < 13) {
            List<String> items = new ArrayList<>();
            for (int n = rnd.nextInt(5); n > 0; n--) items.add(junk(depth - 1));
            return "[" + String.join(",", items) + "]";
        }
        if (kind < 16) {
            List<String> parts = new ArrayList<>();
            for (int n = rnd.nextInt(4); n > 0; n--) parts.add(Json.write(string()) + ":" + junk(depth - 1));
            return "{" + String.join(",", parts) + "}";
        }
        return pick(HUGE);
    }

    String scalar() {
        return switch (rnd.nextInt(5)) {
            case 0 -> pick(List.of("null", "true", "false", "0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808",
                    "1e400", "-1e400", "1.5", "-0.0", "1E-400", "123456789012345678901234567890", "0.000001"));
            case 1 -> String.valueOf(rnd.nextInt());
            case 2 -> String.valueOf(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 10));
            default -> Json.write(string());
        };
    }

    String string() {
        if (rnd.nextInt(4) > 0) return pick(plausible);
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(40); n > 0; n--) {
            sb.appendCodePoint(switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(0x20);          // control characters
                case 1 -> 0x20 + rnd.nextInt(0x5F);   // printable ASCII
                case 2 -> 0xA0 + rnd.nextInt(0x2F00); // accents, symbols, other scripts
                default -> 0x1F300 + rnd.nextInt(0x300); // emoji beyond the BMP
            });
        }
        return sb.toString();
    }

    <T> T pick(List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    static final List<String> HUGE = List.of(
            "[" + String.join(",", Collections.nCopies(1_001, "\"a\"")) + "]",
            "[" + "[".repeat(1_500) + "]".repeat(1_500) + "]",
            "[" + String.join(",", Collections.nCopies(200, "null")) + "]",
            Json.write("z".repeat(70_000)));

    static final List<String> PLAUSIBLE = List.of("", " ", "openai", "azure", "anthropic", "vllm", "bedrock", "deepinfra",
                "fuzzed", "m", "gpt-4o", "1h", "5m", "1ns", "-1s", "0", "d", "h", "mo", "s", "asc", "desc", "ASC", "block", "allow",
                "allow_but_redact", "email", "phone", "all", "model", "keyId", "userId", "/p", "/api/x", "http://127.0.0.1:9/x",
                "ftp://x", "http://", "t", "\u0000", "a\u0001b", "../../etc/passwd", "a/b", "\uD83D\uDE00", "\u202Egnp.exe", "\uD800",
                "x".repeat(300), "(a+)+$", "[", "\\", "\"", "<script>", "'; DROP TABLE keys; --");

    /** The endpoint's valid body; UNIQUE and UNIQUE_PATH become fresh values, fixture names their ids. */
    Map<String, String> base(Endpoint e, String unique) {
        Map<String, String> m = new LinkedHashMap<>();
        e.base().forEach((k, v) -> m.put(k, switch (v) {
            case "UNIQUE" -> Json.write("fuzz-" + unique);
            case "UNIQUE_PATH" -> Json.write("/fuzz/" + unique);
            default -> replaceFixtures(v);
        }));
        return m;
    }

    String replaceFixtures(String raw) {
        for (var f : fixtures.entrySet()) raw = raw.replace("\"" + f.getKey() + "\"", "\"" + f.getValue() + "\"");
        return raw;
    }

    static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> Json.write(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    /** Fields as query parameters: lists repeat the parameter, other values are sent as their text. */
    static String toQuery(String body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return "q=" + enc(body);
        }
        if (n == null || !n.isObject()) return "q=" + enc(body);
        List<String> parts = new ArrayList<>();
        n.properties().forEach(e -> {
            if (e.getValue().isArray()) e.getValue().forEach(v -> parts.add(enc(e.getKey()) + "=" + enc(v.isTextual() ? v.textValue() : v.toString())));
            else parts.add(enc(e.getKey()) + "=" + enc(e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        });
        return String.join("&", parts);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
    }
}
