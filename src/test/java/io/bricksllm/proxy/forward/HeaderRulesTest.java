package io.bricksllm.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderRulesTest {

    private static MultiMap caller() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("AUTHORIZATION", "Bearer gateway-secret")
                .add("X-Api-Key", "gateway-secret")
                .add("api-key", "gateway-secret")
                .add("Connection", "keep-alive")
                .add("Keep-Alive", "timeout=5")
                .add("Host", "gateway:8002")
                .add("Content-Length", "12")
                .add("Transfer-Encoding", "chunked")
                .add("X-Custom-Event-Id", "e1")
                .add("X-METADATA", "{}")
                .add("x-request-timeout", "5s")
                .add("Accept-Encoding", "gzip")
                .add("User-Agent", "OpenAI/Java")
                .add("OpenAI-Beta", "assistants=v2")
                .add("X-Trace", "a")
                .add("x-trace", "b");
    }

    @Test
    void onlyTheCallersOwnHeadersGoUpstreamWhateverTheirCase() {
        MultiMap out = new HeaderRules(false).upstreamHeaders(caller());

        assertThat(out.names()).containsExactlyInAnyOrder("User-Agent", "OpenAI-Beta", "X-Trace", "Accept-Encoding");
        assertThat(out.getAll("x-trace")).containsExactly("a", "b");
        assertThat(out.get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void theUserAgentIsDroppedWhenConfigured() {
        MultiMap out = new HeaderRules(true).upstreamHeaders(caller());

        assertThat(out.names()).containsExactlyInAnyOrder("OpenAI-Beta", "X-Trace", "Accept-Encoding");
    }

    @Test
    void responseHeadersLoseHopByHopOnesAndKeepTheLengthOnlyWhenTheBodyIsUnchanged() {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json").add("CONTENT-LENGTH", "700").add("connection", "close")
                .add("Transfer-Encoding", "chunked").add("x-request-id", "r1").add("Set-Cookie", "a=1").add("set-cookie", "b=2");

        MultiMap kept = MultiMap.caseInsensitiveMultiMap();
        HeaderRules.copyResponseHeaders(upstream, kept, true);
        assertThat(kept.names()).containsExactlyInAnyOrder("Content-Type", "CONTENT-LENGTH", "x-request-id", "Set-Cookie");
        assertThat(kept.getAll("set-cookie")).containsExactly("a=1", "b=2");

        MultiMap rewritten = MultiMap.caseInsensitiveMultiMap();
        HeaderRules.copyResponseHeaders(upstream, rewritten, false);
        assertThat(rewritten.names()).containsExactlyInAnyOrder("Content-Type", "x-request-id", "Set-Cookie");
    }

    @ParameterizedTest
    @CsvSource({
            "te, true", "TE, true", "Te, true", "tE, true",
            "t, false", "tee, false", "'', false", "trailers, true", "Trailer, true",
            "Authorizatio, false", "Authorizationn, false", "X-Api-Key, true",
            // a non-ASCII look-alike (Kelvin sign lower-cases to 'k' in Unicode) must not match "keep-alive"
            "\u212Aeep-alive, false", "KEEP-ALIVE, true",
    })
    void namesMatchIgnoringAsciiCaseOnly(String name, boolean expected) {
        HeaderNames names = new HeaderNames("te", "trailer", "trailers", "keep-alive").plus("authorization", "x-api-key");
        assertThat(names.contains(name)).isEqualTo(expected);
    }
}
