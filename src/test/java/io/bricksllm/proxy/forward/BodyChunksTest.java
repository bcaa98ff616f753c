package io.bricksllm.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyChunksTest {

    private static String text(BodyChunks b) {
        return new String(b.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void chunksAreJoinedInOrder() {
        BodyChunks b = new BodyChunks(100);
        b.add(Buffer.buffer("{\"a\":"));
        b.add(Buffer.buffer(""));
        b.add(Buffer.buffer("1}"));

        assertThat(text(b)).isEqualTo("{\"a\":1}");
        assertThat(b.length()).isEqualTo(7);
        assertThat(b.overflowed()).isFalse();
    }

    @Test
    void aChunkAddedAfterReadingIsPartOfTheNextRead() {
        BodyChunks b = new BodyChunks(100);
        b.add(Buffer.buffer("ab"));
        assertThat(text(b)).isEqualTo("ab");
        b.add(Buffer.buffer("cd"));
        assertThat(text(b)).isEqualTo("abcd");
    }

    @Test
    void pastTheLimitOnlyTheLeadingChunksAreKeptAndNothingAfter() {
        BodyChunks b = new BodyChunks(5);
        b.add(Buffer.buffer("abc"));
        b.add(Buffer.buffer("def"));   // would pass the limit
        b.add(Buffer.buffer("g"));     // would fit, but the body is already cut

        assertThat(b.overflowed()).isTrue();
        assertThat(text(b)).isEqualTo("abc");
    }

    @Test
    void anEmptyBodyReadsAsNoBytes() {
        assertThat(new BodyChunks(10).bytes()).isEmpty();
    }
}
