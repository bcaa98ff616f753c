package io.bricksllm.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;

/**
 * Answers HTTP that cannot be decoded with the admin error shape instead of a bare 400 or, for a body whose
 * chunk framing is broken (a chunk size that is not hex, or too large), a silently closed connection — Vert.x
 * closes the channel on a body decoding failure before any response could be flushed.
 */
final class MalformedHttpAnswer {
    private MalformedHttpAnswer() {}

    /** For {@code HttpServer.invalidRequestHandler}: a request line or headers that could not be decoded. */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        AdminError e = cause instanceof TooLongHttpLineException
                ? new AdminError(414, "/errors/uri-too-long", "request line too long", "the request line is too long")
                : cause instanceof TooLongHttpHeaderException
                ? new AdminError(431, "/errors/headers-too-large", "request headers too large", "the request headers are too large")
                : AdminError.badJson("the request could not be decoded: malformed request line or headers");
        request.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(e.toJson(request.path() == null ? "/" : request.path()));
    }

    /** For {@code HttpServer.connectionHandler}: puts the body guard in front of Vert.x's own handler. */
    static void guard(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channel().pipeline().get("handler") != null) {
            base.channel().pipeline().addBefore("handler", "malformed-body-answer", new BodyGuard());
        }
    }

    /** Turns a body decoding failure into a 400 (unless a response is already under way), then closes. */
    private static final class BodyGuard extends ChannelDuplexHandler {
        private String path = "/";
        private boolean responding;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest r) {
                path = r.uri();
                int q = path.indexOf('?');
                if (q >= 0) path = path.substring(0, q);
                responding = false;
            } else if (msg instanceof HttpContent c && c.decoderResult().isFailure()) {
                Throwable cause = c.decoderResult().cause();
                ReferenceCountUtil.release(msg);
                if (responding) {
                    ctx.close();
                    return;
                }
                AdminError e = cause instanceof TooLongFrameException
                        ? new AdminError(413, "/errors/request-too-large", "request body too large", "a chunk of the body is too large")
                        : AdminError.badJson("the request body could not be decoded: malformed chunked encoding");
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(e.status()),
                        Unpooled.copiedBuffer(e.toJson(path), StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                responding = true;
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse) responding = true;
            ctx.write(msg, promise);
        }
    }
}
