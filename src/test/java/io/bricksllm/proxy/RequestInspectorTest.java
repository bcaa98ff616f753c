package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Big bodies are read with a streaming parser, small ones from their tree: both must learn exactly the same facts
 * and refuse the same bodies, and a big body's tree is built only when first asked for.
 */
class RequestInspectorTest {
    static final Endpoint CHAT = Endpoint.json(HttpMethod.POST, "/api/providers/openai/v1/chat/completions", "openai", Operation.CHAT);
    static final Endpoint MESSAGES = Endpoint.json(HttpMethod.POST, "/api/providers/anthropic/v1/messages", "anthropic", Operation.CHAT);
    static final Endpoint EMBEDDINGS = Endpoint.json(HttpMethod.POST, "/api/providers/openai/v1/embeddings", "openai", Operation.EMBEDDINGS);

    final RequestInspector tree = new RequestInspector(Integer.MAX_VALUE);
    final RequestInspector streaming = new RequestInspector(0);

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"user\":\"u1\",\"max_tokens\":77}",
            "{\"model\":\"a\",\"model\":\"b\",\"stream\":1,\"stream_options\":{\"include_usage\":true,\"x\":[1,{\"y\":2}]}}",
            "{\"model\":5,\"stream\":\"true \",\"user\":{\"id\":1},\"max_completion_tokens\":12.9,\"max_tokens\":3}",
            "{\"stream\":0,\"stream_options\":null,\"max_tokens\":\"9\",\"max_output_tokens\":-4}",
            "{\"stream\":false,\"stream_options\":{\"include_usage\":\"true\"},\"max_tokens\":99999999999999999999999,\"max_output_tokens\":8}",
            "{\"metadata\":{\"user_id\":\"anth\",\"other\":{\"a\":[]}},\"user\":\"openai-user\",\"max_tokens_to_sample\":1e3}",
            "{\"metadata\":{\"user_id\":1},\"stream\":true} trailing",
            "{\"nested\":{\"model\":\"not-me\",\"stream\":true},\"list\":[{\"user\":\"no\"}],\"stream_options\":[true]}",
            "{}",
    })
    void streamingAndTreeLearnTheSame(String body) throws Exception {
        for (Endpoint e : new Endpoint[] {CHAT, MESSAGES, EMBEDDINGS}) {
            RequestInfo a = tree.inspect(e, "application/json", bytes(body));
            RequestInfo b = streaming.inspect(e, "application/json", bytes(body));
            assertThat(facts(b)).as(e.template() + " " + body).isEqualTo(facts(a));
            assertThat(b.json()).isEqualTo(a.json());
        }
    }

    @Test
    void theFactsAreRightOnTheStreamingPath() throws Exception {
        RequestInfo i = streaming.inspect(CHAT, null, bytes(
                "{\"messages\":[{\"content\":\"" + "x".repeat(1000) + "\"}],\"model\":\"gpt-4o\",\"stream\":true,\"user\":\"u\","
                        + "\"stream_options\":{\"include_usage\":false},\"max_completion_tokens\":10,\"max_tokens\":20}"));
        assertThat(facts(i)).isEqualTo("gpt-4o|true|u|false|10|true");
        assertThat(streaming.inspect(MESSAGES, null, bytes("{\"metadata\":{\"user_id\":\"anth\"},\"user\":\"x\"}")).userId()).isEqualTo("anth");
    }

    /** The provider says where its bodies name the end user: Bedrock's native paths take Anthropic's bodies. */
    @Test
    void theEndUserIsWhereTheEndpointsProviderKeepsIt() throws Exception {
        Endpoint bedrock = Endpoint.json(HttpMethod.POST, "/api/providers/bedrock/anthropic/v1/messages", "bedrock", Operation.MESSAGES);
        Endpoint custom = new Endpoint(HttpMethod.POST, "/api/custom/providers/*", "acme", BodyKind.JSON, Operation.CUSTOM, false);
        Endpoint groq = Endpoint.json(HttpMethod.POST, "/api/providers/groq/v1/chat/completions", "groq", Operation.CHAT);
        byte[] body = bytes("{\"metadata\":{\"user_id\":\"meta\"},\"user\":\"top\"}");
        for (RequestInspector inspector : new RequestInspector[] {tree, streaming}) {
            assertThat(inspector.inspect(bedrock, null, body).userId()).isEqualTo("meta");
            assertThat(inspector.inspect(custom, null, body).userId()).isEqualTo("top");
            assertThat(inspector.inspect(groq, null, body).userId()).isEqualTo("top");
        }
    }

    /** The Responses API names its end user in safety_identifier (user is deprecated there); user wins when both are set. */
    @Test
    void aResponsesRequestNamesItsEndUserInSafetyIdentifierToo() throws Exception {
        Endpoint unified = Endpoint.unified(HttpMethod.POST, "/v1/responses", Operation.RESPONSES);
        for (RequestInspector inspector : new RequestInspector[] {tree, streaming}) {
            assertThat(inspector.inspect(unified, null, bytes("{\"model\":\"m\",\"safety_identifier\":\"sid\"}")).userId()).isEqualTo("sid");
            assertThat(inspector.inspect(unified, null, bytes("{\"safety_identifier\":\"sid\",\"user\":\"u\"}")).userId()).isEqualTo("u");
            assertThat(inspector.inspect(unified, null, bytes("{\"safety_identifier\":7}")).userId()).isEmpty();
            assertThat(inspector.inspect(CHAT, null, bytes("{\"safety_identifier\":\"sid\"}")).userId())
                    .as("chat completions has no such field").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "  ", "{\"model\":\"a\"", "{\"a\":[1,}", "nope", "{\"a\":1,}"})
    void bothPathsRefuseTheSameBodies(String body) {
        String a = refusal(tree, body);
        String b = refusal(streaming, body);
        assertThat(a).as(body).isNotNull();
        assertThat(b == null ? null : b.substring(0, Math.min(b.length(), 30))).as(body)
                .isEqualTo(a.substring(0, Math.min(a.length(), 30)));
    }

    @Test
    void aBigBodysTreeIsBuiltOnlyWhenAskedForAndOnce() throws Exception {
        RequestInfo i = streaming.inspect(CHAT, null, bytes("{\"model\":\"m\",\"messages\":[]}"));
        assertThat(i.hasJson()).isTrue();
        assertThat(i.tree()).extracting("tree").isNull(); // nothing parsed into a tree yet
        assertThat(i.json().get("model").asText()).isEqualTo("m");
        assertThat(i.json()).isSameAs(i.json());
        RequestInfo small = tree.inspect(CHAT, null, bytes("{\"model\":\"m\"}"));
        assertThat(small.tree()).extracting("tree").isNotNull(); // small bodies: the one parse gave the tree
    }

    @Test
    void emptyBodyNeedsAnObject() {
        assertThatThrownBy(() -> streaming.inspect(CHAT, null, new byte[0])).isInstanceOf(RequestInspector.InvalidBody.class);
    }

    private static String refusal(RequestInspector inspector, String body) {
        try {
            inspector.inspect(CHAT, null, bytes(body));
            return null;
        } catch (RequestInspector.InvalidBody e) {
            return e.getMessage();
        }
    }

    private static String facts(RequestInfo i) {
        return i.model() + "|" + i.stream() + "|" + i.userId() + "|" + i.includeUsageRequested() + "|" + i.maxOutputTokens()
                + "|" + i.hasStreamOptions();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
