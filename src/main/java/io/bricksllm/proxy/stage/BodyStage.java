package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.BodyKind;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.RequestInspector;
import io.bricksllm.proxy.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Reads the request body (bounded: over the limit is 413 and nothing is forwarded) and learns model,
 * stream flag and user from it. A body the endpoint cannot use is a 400; checks are never skipped.
 */
public final class BodyStage implements Stage {
    private final long limitBytes;
    private final RequestInspector inspector;

    public BodyStage(long limitBytes, RequestInspector inspector) {
        this.limitBytes = limitBytes;
        this.inspector = inspector;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String declared = x.request.getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limitBytes) return tooLarge();
            } catch (NumberFormatException e) {
                return Refusal.fail(new Refusal.BadRequest("invalid Content-Length"));
            }
        }
        Promise<Void> done = Promise.promise();
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        x.request.handler(chunk -> {
            if (over[0]) return;
            if (body.length() + chunk.length() > limitBytes) {
                over[0] = true;
                done.tryFail(new Refusal.Refused(tooLargeRefusal()));
                return;
            }
            body.appendBuffer(chunk);
        });
        x.request.exceptionHandler(err -> done.tryFail(new Refusal.Refused(new Refusal.BadRequest("request body could not be read"))));
        x.request.endHandler(v -> {
            if (over[0]) return;
            x.body = body;
            try {
                x.info = x.provider.refine(inspector.inspect(x.endpoint, x.request.getHeader("Content-Type"), body));
                done.tryComplete();
            } catch (RequestInspector.InvalidBody e) {
                done.tryFail(new Refusal.Refused(new Refusal.BadRequest(e.getMessage())));
            }
        });
        x.request.resume();
        return done.future();
    }

    private Future<Void> tooLarge() {
        return Refusal.fail(tooLargeRefusal());
    }

    private Refusal tooLargeRefusal() {
        return new Refusal.TooLarge("request body is larger than " + limitBytes + " bytes");
    }

    static boolean isJson(BodyKind kind) {
        return kind instanceof BodyKind.Json;
    }
}
