package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.ApiKey;
import io.bricksllm.testing.TestDatabases.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console's two reports (issue 21) on both databases, at a fixed time (2023-11-25 12:30 UTC): the overview's
 * today / 7-day / 30-day totals and breakdowns, and each key's usage in its limit windows.
 */
class OverviewAndKeyUsageTest {
    static final long T0 = 1_700_006_400L; // 2023-11-15 00:00 UTC
    static final long DAY = 86_400;
    static final long NOW = T0 + 10 * DAY + 12 * 3600; // 2023-11-25 12:00 UTC
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW + 1800), ZoneOffset.UTC); // 12:30

    private AdminHarness h;

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
    }

    static ApiKey key(String id, String name, String costUnit, String rateUnit) {
        return new ApiKey(name, T0, T0, List.of(), id, false, "hash-" + id, "", 0, 1, costUnit, 10, rateUnit, "", "",
                List.of(), List.of(), false, false, false, "", false);
    }

    private void open(Kind kind) throws Exception {
        Map<String, ApiKey> keys = Map.of("k1", key("k1", "alpha", "d", "mo"), "k2", key("k2", "<b>beta</b>", "mo", "h"));
        h = new AdminHarness(kind, repo -> List.of(new OverviewAdmin(repo.rollups(), () -> List.copyOf(keys.values()), CLOCK),
                new KeyUsageAdmin(repo, id -> Optional.ofNullable(keys.get(id)), CLOCK)));
        long today = T0 + 10 * DAY;
        h.repo.insert(List.of(
                TestEvent.at(today + 3600).key("k1").team("t1").model("gpt-4o").provider("openai").cost(0.5).status(200).build(),
                TestEvent.at(today + 7200).key("k1").team("t1").model("gpt-4o").provider("openai").cost(0).status(500).build(),
                TestEvent.at(NOW + 600).key("k2").model("claude").provider("anthropic").cost(1.25).status(200).build(),
                TestEvent.at(today - 3 * DAY).key("k1").team("t1").model("gpt-4o").provider("openai").cost(2.0).status(200).build(),
                TestEvent.at(NOW - 20 * DAY).key("k2").model("claude").provider("anthropic").cost(4.0).status(429).build(),
                TestEvent.at(NOW - 40 * DAY).key("k1").team("t1").model("gpt-4o").provider("openai").cost(100).status(200).build()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void overviewSumsTodaySevenAndThirtyDays(Kind kind) throws Exception {
        open(kind);
        JsonNode o = h.client.get("/api/reporting/overview").json();
        assertThat(o.get("days").asInt()).isEqualTo(30);
        assertTotals(o.get("today"), 3, 1, 1.75);
        assertTotals(o.get("last7Days"), 4, 1, 3.75);
        assertTotals(o.get("range"), 5, 2, 7.75);
        assertThat(o.get("range").get("errorRate").asDouble()).isCloseTo(0.4, within(1e-9));
        assertThat(o.get("byDay")).hasSize(30);
        assertThat(o.get("byDay").get(29).get("day").asLong()).isEqualTo(T0 + 10 * DAY);
        assertThat(o.get("byDay").get(29).get("requests").asLong()).isEqualTo(3);
        assertThat(o.get("byDay").get(0).get("day").asLong()).isEqualTo(T0 + 10 * DAY - 29 * DAY);

        JsonNode byKey = o.get("byKey");
        assertThat(byKey.get(0).get("id").asText()).isEqualTo("k2");
        assertThat(byKey.get(0).get("label").asText()).isEqualTo("<b>beta</b>"); // as stored: the page shows it as text
        assertThat(byKey.get(0).get("costInUsd").asDouble()).isCloseTo(5.25, within(1e-9));
        assertThat(byKey.get(1).get("label").asText()).isEqualTo("alpha");
        assertThat(byKey.get(1).get("costInUsd").asDouble()).isCloseTo(2.5, within(1e-9));
        assertThat(o.get("byProvider").get(0).get("id").asText()).isEqualTo("anthropic");
        assertThat(o.get("byModel").get(1).get("id").asText()).isEqualTo("gpt-4o");
        assertThat(o.get("byModel").get(1).get("errors").asLong()).isEqualTo(1);
        assertThat(o.get("byTeam").findValuesAsText("id")).containsExactly("", "t1");

        JsonNode week = h.client.get("/api/reporting/overview?days=7").json();
        assertTotals(week.get("range"), 4, 1, 3.75);
        assertThat(h.client.get("/api/reporting/overview?days=400").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keyUsageCountsEachKeysLimitWindows(Kind kind) throws Exception {
        open(kind);
        JsonNode usage = h.client.post("/api/reporting/key-usage", "{\"keyIds\":[\"k1\",\"k2\",\"gone\"]}").json();
        assertThat(usage).hasSize(2);
        JsonNode k1 = usage.get(0);
        assertThat(k1.get("totalCostInUsd").asDouble()).isCloseTo(102.5, within(1e-9));
        assertThat(k1.get("costWindow").get("unit").asText()).isEqualTo("d");
        assertThat(k1.get("costWindow").get("costInUsd").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(k1.get("rateWindow").get("unit").asText()).isEqualTo("mo");
        assertThat(k1.get("rateWindow").get("requests").asLong()).isEqualTo(3); // November: today's two and 3 days ago
        JsonNode k2 = usage.get(1);
        assertThat(k2.get("costWindow").get("costInUsd").asDouble()).isCloseTo(5.25, within(1e-9));
        assertThat(k2.get("rateWindow").get("unit").asText()).isEqualTo("h");
        assertThat(k2.get("rateWindow").get("requests").asLong()).isEqualTo(1); // the one at 12:10, in the hour of 12:30
        assertThat(h.client.post("/api/reporting/key-usage", "{\"keyIds\":[" + "\"k\",".repeat(201) + "\"k\"]}").status())
                .isEqualTo(400);
    }

    private static void assertTotals(JsonNode t, long requests, long errors, double cost) {
        assertThat(t.get("requests").asLong()).isEqualTo(requests);
        assertThat(t.get("errors").asLong()).isEqualTo(errors);
        assertThat(t.get("costInUsd").asDouble()).isCloseTo(cost, within(1e-9));
    }
}
