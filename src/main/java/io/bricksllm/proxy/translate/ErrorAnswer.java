package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * An upstream error in another dialect, written in the caller's error shape (OpenAI's, or Anthropic's on the native
 * Bedrock paths); the caller keeps the upstream's status. A body the decoder cannot read still becomes an error
 * naming the status (never the upstream's raw text in another shape).
 */
final class ErrorAnswer extends WholeAnswer {
    private static final int MAX_BODY = 1 << 20;

    private final int status;
    private final String provider;
    private final Function<byte[], ChatError> decoder;
    private final Function<ChatError, byte[]> encoder;

    ErrorAnswer(int status, String provider, Function<byte[], ChatError> decoder, Function<ChatError, byte[]> encoder) {
        super(MAX_BODY);
        this.status = status;
        this.provider = provider;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    @Override
    Buffer finish(BodyChunks body) {
        ChatError error;
        try {
            error = body.overflowed() ? null : decoder.apply(body.bytes());
        } catch (RuntimeException e) {
            error = null;
        }
        if (error == null) error = new ChatError(status, "upstream_error", "upstream " + provider + " answered " + status);
        else if (error.status() != status) error = new ChatError(status, error.type(), error.message());
        return Buffer.buffer(encoder.apply(error));
    }
}
