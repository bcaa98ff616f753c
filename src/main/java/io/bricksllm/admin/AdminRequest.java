package io.bricksllm.admin;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an admin resource sees of a call: path parameters, query parameters and the JSON body.
 * Body parsing is strict about types ("5" is not a number) so that wrong types get a 400.
 */
public record AdminRequest(Map<String, String> pathParams, Map<String, List<String>> query, Buffer body,
                           Map<String, String> headers) {

    /** {@code headers}: the request's headers by lower-case name (first value of each). */
    public AdminRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public AdminRequest(Map<String, String> pathParams, Map<String, List<String>> query, Buffer body) {
        this(pathParams, query, body, Map.of());
    }

    /** The first value of a request header (name case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "{...} junk" is malformed JSON, not an object followed by noise to ignore
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Jackson turns 5 or true into "5"/"true" for a string field even without scalar coercion
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // "" or " " for a number, flag, list or object is a wrong type, not an absent value: bound as null it
            // would pass the "present" checks of a patch and fail later as a NullPointerException
            .withCoercionConfigDefaults(c -> c
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(true))
            // [null] or {"k":null} inside a list or map is refused with its path: the records copy their lists
            // with List.copyOf/Map.copyOf, which throw on a null element
            .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .build();

    public String pathParam(String name) {
        return pathParams.getOrDefault(name, "");
    }

    /** Every value of a repeatable query parameter; comma-separated values are split too. */
    public List<String> queryAll(String name) {
        List<String> out = new ArrayList<>();
        for (String v : query.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) if (!part.isEmpty()) out.add(part);
        }
        return out;
    }

    public String queryFirst(String name) {
        List<String> v = query.getOrDefault(name, List.of());
        return v.isEmpty() ? null : v.get(0);
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public JsonNode json() {
        if (body == null || body.length() == 0) return STRICT.createObjectNode();
        JsonNode node;
        try {
            node = STRICT.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw AdminError.badJson("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw AdminError.badJson("cannot read body: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) return STRICT.createObjectNode();
        if (!node.isObject()) throw AdminError.badJson("the body must be a JSON object");
        return node;
    }

    /**
     * The body bound to {@code type}; a field of the wrong type, a null inside a list or map, or a list over
     * its size limit ({@link BodyLimits}) is a 400 naming the field.
     */
    public <T> T bind(JsonNode json, Class<T> type) {
        BodyLimits.check(json);
        try {
            return STRICT.treeToValue(json, type);
        } catch (InvalidNullException e) {
            throw AdminError.validation("field " + fieldPath(e) + " must not be null");
        } catch (JsonMappingException e) {
            // a mismatched type, or a parser error (number out of range of int) that databind wrapped with its path
            throw AdminError.badJson("field " + fieldPath(e) + " has the wrong type: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw AdminError.badJson(e.getOriginalMessage());
        }
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(body)" : sb.toString();
    }

    /** True when the field is in the body and not null ("present" in BEHAVIOUR.md §3.4.3). */
    public static boolean present(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n != null && !n.isNull();
    }
}
