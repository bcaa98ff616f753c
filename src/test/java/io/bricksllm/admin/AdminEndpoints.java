package io.bricksllm.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every admin endpoint with the fields of its body or query and a valid body, for {@link AdminFuzzTest}. */
final class AdminEndpoints {
    private AdminEndpoints() {}

    /** How a field's value is built when it is not plain junk. */
    enum Shape { SCALAR, OBJECT, LIST_OF_OBJECTS }

    record Field(String name, Shape shape, List<Field> sub) {
        static Field f(String name) {
            return new Field(name, Shape.SCALAR, List.of());
        }

        static Field obj(String name, Field... sub) {
            return new Field(name, Shape.OBJECT, List.of(sub));
        }

        static Field list(String name, Field... sub) {
            return new Field(name, Shape.LIST_OF_OBJECTS, List.of(sub));
        }
    }

    /**
     * One admin endpoint: {@code path} may hold the placeholders KEY, SETTING, USER, ROUTE, POLICY, PROVIDER;
     * {@code base} is a valid body (values as raw JSON, UNIQUE replaced by a fresh value); {@code query} true
     * sends the fields as query parameters instead of a body; {@code creates} names the resource a 2xx creates.
     */
    record Endpoint(String method, String path, List<Field> fields, Map<String, String> base, boolean query, String creates) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final String ROUTE_CONFIG = "{\"path\":\"/x\",\"target_url\":\"http://127.0.0.1:9/x\",\"model_location\":\"model\","
            + "\"request_prompt_location\":\"prompt\",\"response_completion_location\":\"text\"}";

    static final Field[] PATHS = {Field.f("path"), Field.f("method")};
    /** The limits of every level (team, key, user; issue 19.2), same names everywhere. */
    static final List<Field> KEY_LIMITS = List.of(Field.f("costLimitInUsd"), Field.f("costLimitInUsdOverTime"), Field.f("costLimitInUsdUnit"),
            Field.f("rateLimitOverTime"), Field.f("rateLimitUnit"), Field.f("tokenLimitOverTime"), Field.f("tokenLimitUnit"),
            Field.f("maxConcurrentRequests"));

    static List<Field> fields(List<Field> common, Field... more) {
        List<Field> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all;
    }

    static List<Endpoint> all() {
        Field routeConfigs = Field.list("route_configs", Field.f("path"), Field.f("target_url"), Field.f("stream_location"),
                Field.f("model_location"), Field.f("request_prompt_location"), Field.f("response_completion_location"),
                Field.f("stream_end_word"), Field.f("stream_response_completion_location"), Field.f("stream_max_empty_messages"));
        Field steps = Field.list("steps", Field.f("provider"), Field.f("model"), Field.f("retries"), Field.f("retryInterval"),
                Field.f("timeout"), Field.obj("params", Field.f("apiVersion"), Field.f("deploymentId")),
                Field.obj("requestParams", Field.f("temperature"), Field.f("stop"), Field.f("logit_bias"), Field.f("logprobs"), Field.f("max_tokens")));
        List<Field> routeFields = List.of(Field.f("name"), Field.f("path"), Field.f("keyIds"), steps,
                Field.obj("cacheConfig", Field.f("enabled"), Field.f("ttl")), Field.f("retryStrategy"), Field.f("requestFormat"), Field.f("retryOn"));
        Field rules = Field.list("rules", Field.f("definition"), Field.f("action"));
        List<Field> policyFields = List.of(Field.f("name"), Field.f("tags"),
                Field.obj("config", Field.obj("rules", Field.f("email"), Field.f("phone"), Field.f("all"), Field.f("favourite"))),
                Field.obj("regexConfig", rules), Field.obj("customConfig", rules));
        Field setting = Field.obj("setting", Field.f("apikey"), Field.f("url"), Field.f("resourceName"), Field.f("awsRegion"), Field.f("api"));
        Field costMap = Field.obj("costMap", Field.obj("promptCostPerModel", Field.f("gpt-4o"), Field.f("m")),
                Field.obj("completionCostPerModel", Field.f("gpt-4o")), Field.obj("embeddingsCostPerModel", Field.f("e")));
        List<Field> userUpdate = fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("keyIds"), Field.f("revoked"),
                Field.f("revokedReason"), Field.list("allowedPaths", PATHS), Field.f("allowedModels"), Field.f("ttl"), Field.f("teamId"));
        List<Field> reporting = List.of(Field.f("keyIds"), Field.f("tags"), Field.f("customIds"), Field.f("userIds"), Field.f("start"),
                Field.f("end"), Field.f("increment"), Field.f("filters"));
        List<Field> teamFields = fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("allowedModels"),
                Field.f("allowedProviders"));
        String key = "\"KEY\"";
        return List.of(
                new Endpoint("POST", "/api/teams", teamFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("PATCH", "/api/teams/TEAM", teamFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/teams/TEAM", List.of(), Map.of(), true, null),
                new Endpoint("GET", "/api/teams", List.of(Field.f("tags")), Map.of("tags", "\"t\""), true, null),
                new Endpoint("GET", "/api/reporting/teams/TEAM", List.of(), Map.of(), true, null),
                new Endpoint("PUT", "/api/key-management/keys", fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("key"),
                        Field.f("ttl"), Field.f("settingId"), Field.f("settingIds"), Field.list("allowedPaths", PATHS),
                        Field.f("shouldLogRequest"), Field.f("shouldLogResponse"), Field.f("rotationEnabled"), Field.f("policyId"),
                        Field.f("isKeyNotHashed"), Field.f("teamId"), Field.f("settingStrategy"), Field.f("settingWeights")),
                        Map.of("name", "\"fuzz\"", "key", "UNIQUE", "settingId", "\"SETTING\""), false, "keys"),
                new Endpoint("PATCH", "/api/key-management/keys/KEY", fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("revoked"),
                        Field.f("revokedReason"), Field.f("settingId"), Field.f("settingIds"), Field.list("allowedPaths", PATHS),
                        Field.f("shouldLogRequest"), Field.f("shouldLogResponse"), Field.f("rotationEnabled"), Field.f("policyId"),
                        Field.f("isKeyNotHashed"), Field.f("teamId"), Field.f("settingStrategy"), Field.f("settingWeights")), Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("POST", "/api/key-management/keys/KEY/rotate", List.of(Field.f("key"), Field.f("gracePeriod")),
                        Map.of("gracePeriod", "\"1h\""), false, null),
                new Endpoint("POST", "/api/v2/key-management/keys", List.of(Field.f("keyIds"), Field.f("tags"), Field.f("name"),
                        Field.f("revoked"), Field.f("limit"), Field.f("offset"), Field.f("order"), Field.f("returnCount")),
                        Map.of("returnCount", "true"), false, null),
                new Endpoint("GET", "/api/key-management/keys", List.of(Field.f("tag"), Field.f("tags"), Field.f("keyIds"), Field.f("provider")),
                        Map.of("tag", "\"t\""), true, null),
                new Endpoint("PUT", "/api/provider-settings", List.of(Field.f("provider"), setting, Field.f("name"), Field.f("allowedModels"), costMap),
                        Map.of("provider", "\"openai\"", "setting", "{\"apikey\":\"sk-fuzz\"}"), false, "settings"),
                new Endpoint("PATCH", "/api/provider-settings/SETTING", List.of(setting, Field.f("name"), Field.f("allowedModels"), costMap),
                        Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/provider-settings", List.of(Field.f("ids")), Map.of("ids", "\"SETTING\""), true, null),
                new Endpoint("POST", "/api/users", fields(userUpdate, Field.f("userId")), Map.of("name", "\"fuzz\"", "userId", "UNIQUE"), false, "users"),
                new Endpoint("PATCH", "/api/users/USER", userUpdate, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("PATCH", "/api/users?userId=fuzz-user&tags=t", userUpdate, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/users", List.of(Field.f("tags"), Field.f("keyIds"), Field.f("userIds"), Field.f("offset"), Field.f("limit")),
                        Map.of("tags", "\"t\""), true, null),
                new Endpoint("POST", "/api/custom/providers", List.of(Field.f("provider"), routeConfigs, Field.f("authentication_param")),
                        Map.of("provider", "UNIQUE", "route_configs", "[" + ROUTE_CONFIG + "]"), false, "providers"),
                new Endpoint("PATCH", "/api/custom/providers/PROVIDER", List.of(routeConfigs, Field.f("authentication_param")),
                        Map.of("authentication_param", "\"token\""), false, null),
                new Endpoint("POST", "/api/routes", routeFields, Map.of("name", "\"fuzz\"", "path", "UNIQUE_PATH", "keyIds", "[" + key + "]",
                        "steps", "[{\"provider\":\"openai\",\"model\":\"gpt-4o\"}]", "cacheConfig", "{\"enabled\":false}"), false, "routes"),
                new Endpoint("PATCH", "/api/routes/ROUTE", routeFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/routes/ROUTE", List.of(), Map.of(), true, null),
                new Endpoint("POST", "/api/policies", policyFields, Map.of("name", "\"fuzz\""), false, "policies"),
                new Endpoint("PATCH", "/api/policies/POLICY", policyFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/policies", List.of(Field.f("tags")), Map.of("tags", "\"t\""), true, null),
                new Endpoint("GET", "/api/events", List.of(Field.f("customId"), Field.f("userId"), Field.f("keyIds"), Field.f("start"), Field.f("end"),
                        Field.f("includeBodies")), Map.of("keyIds", key, "start", "1", "end", "2"), true, null),
                new Endpoint("POST", "/api/v2/events", List.of(Field.f("userIds"), Field.f("customIds"), Field.f("keyIds"), Field.f("tags"),
                        Field.f("policyIds"), Field.f("actions"), Field.f("start"), Field.f("end"), Field.f("limit"), Field.f("offset"),
                        Field.f("costOrder"), Field.f("dateOrder"), Field.f("returnCount"), Field.f("status"), Field.f("includeBodies")),
                        Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("POST", "/api/reporting/events", reporting, Map.of("start", "1", "end", "3600", "increment", "60"), false, null),
                new Endpoint("POST", "/api/reporting/events-by-day", reporting, Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("POST", "/api/reporting/top-keys", List.of(Field.f("tags"), Field.f("keyIds"), Field.f("order"), Field.f("start"),
                        Field.f("end"), Field.f("limit"), Field.f("offset"), Field.f("name"), Field.f("revoked")),
                        Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("GET", "/api/reporting/keys/KEY", List.of(), Map.of(), true, null),
                new Endpoint("POST", "/api/reporting/rollups/rebuild", List.of(), Map.of(), false, null),
                new Endpoint("GET", "/api/reporting/user-ids", List.of(Field.f("keyId")), Map.of("keyId", key), true, null),
                new Endpoint("GET", "/api/reporting/custom-ids", List.of(Field.f("keyId")), Map.of("keyId", key), true, null));
    }
}
