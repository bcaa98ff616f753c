package io.bricksllm.limits.e2e;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import java.time.Duration;
import java.util.Collections;

/**
 * The mock's chat route for concurrency tests, chosen by the request: a stream ({@code "stream":true}) lasts 30 s, a
 * message containing {@code slow} is answered after {@link #SLOW}, anything else at once.
 */
final class SlowUpstream {
    static final Duration SLOW = Duration.ofSeconds(2);
    static final Duration STREAM_GAP = Duration.ofMillis(200);

    private SlowUpstream() {}

    static void install(MockUpstream upstream) {
        MockUpstream.Reply fast = MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 5, 1));
        MockUpstream.Reply slow = fast.withDelay(SLOW);
        MockUpstream.Reply stream = MockUpstream.Reply.sse(Fixtures.chatStream(Setup.MODEL, Collections.nCopies(150, "w "), 5, 150, true))
                .withGap(STREAM_GAP);
        upstream.on("POST", "/v1/chat/completions", r -> {
            String body = r.bodyText();
            if (body.contains("\"stream\":true")) return stream;
            return body.contains("slow") ? slow : fast;
        });
    }
}
