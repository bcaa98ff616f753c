package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.dialect.StreamEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event-stream decoding is incremental, and a broken or cut stream ends in one failure, never a hang. */
class BedrockStreamFramingTest {

    private static BedrockStreamDecoder decoder() {
        return new BedrockStreamDecoder(JSON, "req-1", "m", Optional.empty());
    }

    private static byte[] transcript() {
        return BedrockEventStreams.encode(json("bedrock/streams/text-cached.bedrock.json"));
    }

    @Test
    void eachMessageIsTranslatedAsSoonAsItsLastByteArrives() {
        byte[] stream = transcript();
        int firstLength = java.nio.ByteBuffer.wrap(stream).getInt(0); // the prelude's total length
        BedrockStreamDecoder decoder = decoder();

        assertThat(decoder.feed(stream, 0, firstLength - 1)).isEmpty();
        assertThat(decoder.feed(stream, firstLength - 1, 1)).containsExactly(new StreamEvent.Start("req-1", "m"));
    }

    @Test
    void aStreamCutBeforeMessageStopEndsInAFailure() {
        byte[] stream = transcript();
        BedrockStreamDecoder decoder = decoder();
        decoder.feed(stream, 0, stream.length / 2);

        List<StreamEvent> end = decoder.end();

        assertThat(end).singleElement().isInstanceOfSatisfying(StreamEvent.Failure.class,
                f -> assertThat(f.error().status()).isEqualTo(502));
    }

    @Test
    void aCompleteStreamEndsQuietly() {
        byte[] stream = transcript();
        BedrockStreamDecoder decoder = decoder();
        decoder.feed(stream, 0, stream.length);
        assertThat(decoder.end()).isEmpty();
    }

    @Test
    void aCorruptedChecksumIsOneFailureAndNothingAfterIt() {
        byte[] stream = transcript();
        byte[] corrupted = Arrays.copyOf(stream, stream.length);
        corrupted[20] ^= 0x5a; // inside the first message: its message CRC no longer matches
        BedrockStreamDecoder decoder = decoder();

        List<StreamEvent> events = decoder.feed(corrupted, 0, corrupted.length);

        assertThat(events).singleElement().isInstanceOf(StreamEvent.Failure.class);
        assertThat(decoder.feed(stream, 0, stream.length)).isEmpty();
        assertThat(decoder.end()).isEmpty();
    }
}
