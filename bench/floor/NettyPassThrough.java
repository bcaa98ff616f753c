import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;

/**
 * A rung of bench/ladder.sh, not part of the gateway: the plainest reverse proxy written on Netty itself (epoll, one
 * event loop per core, a keep-alive pool of upstream connections per loop, whole messages), without Vert.x. Next to
 * VertxPassThrough it shows what the Vert.x layer costs per request. Run with the gateway jar on the class path:
 * <pre>java -cp bricksllm.jar bench/floor/NettyPassThrough.java PORT UPSTREAM_PORT</pre>
 */
public final class NettyPassThrough {
    private static final AttributeKey<Channel> CALLER = AttributeKey.valueOf("caller");
    private static final FastThreadLocal<ArrayDeque<Channel>> IDLE = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
        new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front(upstreamPort));
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("listening on " + port);
    }

    /** The caller's side: each request goes out on an idle upstream connection of this loop, or a new one. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // wrk resets its connections when it stops
        }

        private final int upstreamPort;

        Front(int upstreamPort) {
            this.upstreamPort = upstreamPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            req.retain();
            req.headers().remove(HttpHeaderNames.CONNECTION);
            ArrayDeque<Channel> idle = IDLE.get();
            Channel up;
            while ((up = idle.poll()) != null && !up.isActive()) { /* drop closed ones */ }
            if (up != null) {
                up.attr(CALLER).set(ctx.channel());
                up.writeAndFlush(req);
                return;
            }
            new Bootstrap().group(ctx.channel().eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Back());
                        }
                    })
                    .connect("127.0.0.1", upstreamPort)
                    .addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            req.release();
                            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY));
                            return;
                        }
                        f.channel().attr(CALLER).set(ctx.channel());
                        f.channel().writeAndFlush(req);
                    });
        }
    }

    /** The upstream side: the answer goes to the caller and the connection back to the loop's idle pool. */
    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            Channel caller = ctx.channel().attr(CALLER).getAndSet(null);
            IDLE.get().push(ctx.channel());
            if (caller != null) caller.writeAndFlush(resp.retain());
        }
    }
}
