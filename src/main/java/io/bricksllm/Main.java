package io.bricksllm;

import io.bricksllm.config.ConfigException;
import io.bricksllm.config.ConfigLoader;
import io.bricksllm.config.GatewayConfig;
import io.bricksllm.store.Database;
import io.bricksllm.telemetry.LogSetup;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line: {@code serve} (default), {@code migrate}, {@code version}. */
@Command(name = "bricksllm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Migrate.class, CommandLine.HelpCommand.class},
        description = "AI gateway: gateway keys, limits, budgets, metering and events in front of LLM providers.")
public final class Main implements Callable<Integer> {

    @Option(names = "-m", description = "mode: dev (readable logs) or production (JSON logs); env MODE")
    String mode;

    @Option(names = "-p", description = "privacy: strict (never log content) or anything else; env PRIVACY_MODE")
    String privacy;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = loadConfig(mode, privacy);
        if (config == null) return 2;
        Gateway gateway;
        try {
            gateway = new Gateway(config, Clock.systemUTC()).start();
        } catch (Exception e) {
            System.err.println("bricksllm: start-up failed: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            org.slf4j.LoggerFactory.getLogger(Main.class).info("shutting down: draining requests and flushing events");
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    static GatewayConfig loadConfig(String mode, String privacy) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (mode != null) env.put("MODE", mode);
        if (privacy != null) env.put("PRIVACY_MODE", privacy);
        try {
            GatewayConfig config = ConfigLoader.load(env);
            // Chosen before the first logger is created: JSON lines in production, readable lines otherwise (LogSetup).
            if (System.getProperty(LogSetup.FORMAT_PROPERTY) == null) {
                System.setProperty(LogSetup.FORMAT_PROPERTY, config.production() ? "json" : "text");
            }
            return config;
        } catch (ConfigException e) {
            System.err.println("bricksllm: invalid configuration: " + e.getMessage());
            return null;
        }
    }

    @Command(name = "migrate", description = "Apply database migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        @Override
        public Integer call() {
            GatewayConfig config = loadConfig(null, null);
            if (config == null) return 2;
            try (Database db = Database.open(config)) {
                System.out.println("migrated " + config.storageDescription());
                return 0;
            } catch (RuntimeException e) {
                System.err.println("bricksllm: migration failed: " + e.getMessage());
                return 1;
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"bricksllm " + (v == null ? "dev" : v)};
        }
    }
}
