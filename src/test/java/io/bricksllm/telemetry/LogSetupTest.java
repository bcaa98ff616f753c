package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {
    @AfterEach
    void clear() {
        System.clearProperty(LogSetup.FORMAT_PROPERTY);
    }

    static ConsoleAppender<ILoggingEvent> consoleOf(LoggerContext context) {
        AsyncAppender async = (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
        return (ConsoleAppender<ILoggingEvent>) async.getAppender("STDOUT");
    }

    static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }

    @Test
    void productionWritesJsonLinesThroughABackgroundAppender() {
        System.setProperty(LogSetup.FORMAT_PROPERTY, "json");
        LoggerContext context = configured();
        assertThat(consoleOf(context).getEncoder()).isInstanceOf(JsonEncoder.class);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }

    @Test
    void devWritesReadableLines() {
        LoggerContext context = configured();
        assertThat(consoleOf(context).getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
        context.stop();
    }
}
