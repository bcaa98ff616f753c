package io.bricksllm.telemetry;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration in code (found through {@code META-INF/services}): readable lines in dev, JSON lines in
 * production ({@code bricksllm.log.format=json}, set by Main from MODE). Parsing an XML file instead cost ~500 classes
 * and ~0.1 s of every start. A file named with {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    public static final String FORMAT_PROPERTY = "bricksllm.log.format";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        boolean json = "json".equals(System.getProperty(FORMAT_PROPERTY));

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(json ? jsonEncoder(context) : patternEncoder(context));
        console.start();

        // a background thread writes log lines: the event loops never wait on the console (request lines have
        // their own writer, LineWriter)
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(8192);
        async.setNeverBlock(true);
        async.setIncludeCallerData(false);
        async.addAppender(console);
        async.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        for (String quiet : new String[] {"com.zaxxer.hikari", "org.flywaydb", "io.netty"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        // A dropped Redis connection is logged once, with its cause, by RedisConnector; the client's pool logs the
        // same reset again as an "Unhandled Error" with a stack trace, once per pooled connection.
        context.getLogger("io.vertx.redis.client.impl.RedisConnectionManager").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Encoder<ILoggingEvent> patternEncoder(LoggerContext context) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithThreadName(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.setWithMessage(false);
        e.start();
        return e;
    }
}
