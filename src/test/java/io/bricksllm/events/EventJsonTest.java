package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void theStreamingWriterGivesTheSameBytesAsTheTree() throws Exception {
        java.util.Random rnd = new java.util.Random(1);
        List<Event> events = List.of(TestEvent.at(1).build(),
                TestEvent.at(1_700_000_001L).id("e-\"1\u00e9").tags("a", "b\n").key("k").team("t").cost(0.1 + 0.2).model("gpt-4o")
                        .status(403).tokens(10, 20).latency(30).customId("c").userId("u").action("blocked").policy("p")
                        .unpriced().details(7, 3, 11).metadata("{\"x\":1}").bodies(new byte[] {1, 2, 3}, "{}".getBytes()).build(),
                TestEvent.at(5).cost(1e-12).cost(rnd.nextDouble()).build(),
                TestEvent.at(6).route("r1", 2, 1, "context_window_exceeded").build());
        for (boolean bodies : new boolean[] {true, false}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            StringBuilder expected = new StringBuilder();
            try (com.fasterxml.jackson.core.JsonGenerator g = EventJson.generator(out)) {
                for (Event e : events) {
                    EventJson.write(g, e, bodies);
                    g.writeRaw('\n');
                    expected.append(Json.MAPPER.writeValueAsString(EventJson.toJson(e, bodies))).append('\n');
                }
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        }
    }

    @Test
    void fieldsHaveTheOriginalsMixedNamesInOrderPlusUnpriced() {
        JsonNode n = EventJson.toJson(TestEvent.at(1_700_000_000L).build());
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "created_at", "tags", "key_id", "cost_in_usd", "provider", "model",
                "status", "prompt_token_count", "completion_token_count", "cache_read_token_count", "cache_write_token_count",
                "reasoning_token_count", "latency_in_ms", "path", "method", "custom_id",
                "request", "response", "userId", "action", "policyId", "routeId", "correlationId", "metadata", "unpriced");
    }

    @Test
    void valuesAndTypes() {
        Event e = TestEvent.at(1_700_000_001L).id("e-1").tags("a", "b").key("k").cost(0.0125).model("gpt-4o")
                .status(403).tokens(10, 20).latency(30).customId("c").userId("u").action("blocked").policy("p")
                .unpriced().details(7, 3, 11).build();
        JsonNode n = EventJson.toJson(e);
        assertThat(n.get("id").asText()).isEqualTo("e-1");
        assertThat(n.get("created_at").isIntegralNumber()).isTrue();
        assertThat(n.get("created_at").asLong()).isEqualTo(1_700_000_001L);
        assertThat(n.get("tags")).hasSize(2);
        assertThat(n.get("cost_in_usd").asDouble()).isEqualTo(0.0125);
        assertThat(n.get("status").asInt()).isEqualTo(403);
        assertThat(n.get("prompt_token_count").asLong()).isEqualTo(10);
        assertThat(n.get("completion_token_count").asLong()).isEqualTo(20);
        assertThat(n.get("cache_read_token_count").asLong()).isEqualTo(7);
        assertThat(n.get("cache_write_token_count").asLong()).isEqualTo(3);
        assertThat(n.get("reasoning_token_count").asLong()).isEqualTo(11);
        assertThat(n.get("latency_in_ms").asLong()).isEqualTo(30);
        assertThat(n.get("userId").asText()).isEqualTo("u");
        assertThat(n.get("action").asText()).isEqualTo("blocked");
        assertThat(n.get("policyId").asText()).isEqualTo("p");
        assertThat(n.get("unpriced").asBoolean()).isTrue();
    }

    @Test
    void absentBodiesAndMetadataReadAsAnEmptyObject() {
        JsonNode n = EventJson.toJson(TestEvent.at(1).build());
        assertThat(n.get("request").asText()).isEqualTo("e30=");
        assertThat(n.get("response").asText()).isEqualTo("e30=");
        assertThat(n.get("metadata").asText()).isEqualTo("e30=");
    }

    @Test
    void bodiesAreTheStoredBytesInBase64WhateverTheirFormat() {
        byte[] binary = {(byte) 0xff, 0, 1, (byte) 0x80};
        byte[] json = "{\"model\":\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode n = EventJson.toJson(TestEvent.at(1).bodies(json, binary).build());
        assertThat(Base64.getDecoder().decode(n.get("request").asText())).isEqualTo(json);
        assertThat(Base64.getDecoder().decode(n.get("response").asText())).isEqualTo(binary);
    }

    @Test
    void metadataIsTheHeaderValueAsAJsonStringLiteral() {
        JsonNode n = EventJson.toJson(TestEvent.at(1).metadata("{\"a\":1}").build());
        String decoded = new String(Base64.getDecoder().decode(n.get("metadata").asText()), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("\"{\\\"a\\\":1}\"");
        assertThat(Json.read(decoded, String.class)).isEqualTo("{\"a\":1}");
    }

    @Test
    void theSpoolFormatRoundTripsAnEvent() throws Exception {
        Event e = TestEvent.at(9).tags("x").bodies(new byte[] {0, (byte) 0xfe}, null).metadata("m").unpriced()
                .details(5, 6, 7).build();
        Event back = EventSpool.decode(EventSpool.encode(e));
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    /** A spool file written before the token details existed still replays, its events without details. */
    @Test
    void aSpooledEventWithoutTokenDetailsReadsThemAsZero() throws Exception {
        Event e = TestEvent.at(9).tokens(10, 20).build();
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(EventSpool.encode(e));
        old.remove(List.of("cacheReadTokenCount", "cacheWriteTokenCount", "reasoningTokenCount"));
        assertThat(old.has("promptTokenCount")).isTrue();
        Event back = EventSpool.decode(old.toString());
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void newIdsAreVersion7UuidsOrderedByTime() {
        java.util.UUID a = Event.newId(1_700_000_000_000L);
        java.util.UUID b = Event.newId(1_700_000_000_001L);
        assertThat(a.version()).isEqualTo(7);
        assertThat(a.variant()).isEqualTo(2);
        assertThat(a.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        assertThat(a.toString().compareTo(b.toString())).isNegative();
        assertThat(Event.newId()).hasSize(36).isNotEqualTo(Event.newId());
    }
}
