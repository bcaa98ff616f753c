package io.bricksllm;

import io.bricksllm.admin.AdminServer;
import io.bricksllm.admin.KeyAdmin;
import io.bricksllm.admin.UserAdmin;
import io.bricksllm.admin.ProviderSettingAdmin;
import io.bricksllm.config.GatewayConfig;
import io.bricksllm.events.BatchingEventSink;
import io.bricksllm.events.EventAdmin;
import io.bricksllm.events.EventRepository;
import io.bricksllm.events.ReportingAdmin;
import io.bricksllm.events.EventRetention;
import io.bricksllm.limits.FailurePolicy;
import io.bricksllm.limits.GuardedLimitLedger;
import io.bricksllm.limits.LimitLedger;
import io.bricksllm.limits.MemoryLimitLedger;
import io.bricksllm.limits.RedisLimitLedger;
import io.bricksllm.limits.SpendObserver;
import io.bricksllm.proxy.meter.TokenEstimator;
import io.bricksllm.proxy.stage.LimitStage;
import io.bricksllm.proxy.stage.TeamAccessStage;
import io.bricksllm.proxy.stage.UnpricedModelStage;
import io.bricksllm.limits.GuardedSpendLedger;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.limits.RedisSpendLedger;
import io.bricksllm.limits.SpendReseeder;
import java.time.Duration;
import io.bricksllm.limits.MemorySpendLedger;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.SpendSeed;
import io.bricksllm.limits.UserSpendSeed;
import io.bricksllm.provider.BearerProvider;
import io.bricksllm.provider.Providers;
import io.bricksllm.policy.ComprehendLanguageBackend;
import io.bricksllm.policy.CustomRuleJudge;
import io.bricksllm.policy.LanguageBackend;
import io.bricksllm.policy.LlmJudge;
import io.bricksllm.policy.PolicyAdmin;
import io.bricksllm.policy.PolicyEngine;
import io.bricksllm.policy.ScanPool;
import io.bricksllm.proxy.stage.PolicyStage;
import io.bricksllm.provider.custom.CustomProviderAdmin;
import io.bricksllm.proxy.EndpointCatalogue;
import io.bricksllm.proxy.ProviderEndpoints;
import io.bricksllm.proxy.ProxyPipeline;
import io.bricksllm.proxy.RequestInspector;
import io.bricksllm.proxy.BodyMemory;
import io.bricksllm.listener.ConnectionGuard;
import io.bricksllm.proxy.Stage;
import io.bricksllm.proxy.forward.Forwarder;
import io.bricksllm.proxy.forward.HeaderRules;
import io.bricksllm.proxy.forward.MeterFactory;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.meter.Pricing;
import io.bricksllm.proxy.meter.PriceEstimator;
import io.bricksllm.proxy.meter.ProviderMeterFactory;
import io.bricksllm.proxy.forward.UpstreamRequestFactory;
import io.bricksllm.proxy.stage.AccessStage;
import io.bricksllm.proxy.stage.AuthenticateStage;
import io.bricksllm.proxy.stage.BodyStage;
import io.bricksllm.proxy.stage.HeaderStage;
import io.bricksllm.proxy.stage.UserStage;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.SplittableRandom;
import io.bricksllm.proxy.ProxyServer;
import io.bricksllm.store.CustomProviderRepository;
import io.bricksllm.store.CredentialsAtRest;
import io.bricksllm.store.Database;
import io.bricksllm.store.PrivateFiles;
import io.bricksllm.store.SecretCipher;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.PolicyRepository;
import io.bricksllm.store.PostgresChangeFeed;
import io.bricksllm.telemetry.EventSinkMetrics;
import io.bricksllm.telemetry.LimitStoreMetrics;
import io.bricksllm.telemetry.MetricsResource;
import io.bricksllm.telemetry.ProxyMetrics;
import io.bricksllm.telemetry.LineWriter;
import io.bricksllm.telemetry.RequestLog;
import io.bricksllm.telemetry.HealthResource;
import io.bricksllm.telemetry.Telemetry;
import io.bricksllm.store.ProviderSettingRepository;
import io.bricksllm.store.RouteRepository;
import io.bricksllm.store.UserRepository;
import io.bricksllm.route.MemoryResponseCache;
import io.bricksllm.route.RedisResponseCache;
import io.bricksllm.route.RetryPolicy;
import io.bricksllm.route.RouteAdmin;
import io.bricksllm.route.RouteForwarder;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.bricksllm.route.ResponseCache;
import io.vertx.core.http.HttpServer;
import java.io.OutputStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the gateway together (constructor injection, no framework) and owns its lifecycle:
 * {@link #start()} opens storage and both listeners; {@link #close()} drains and releases everything.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Clock clock;
    private final OutputStream requestLogOutput;
    private LineWriter requestLines;
    private RequestLog requestLog;
    private Vertx vertx;
    private Database db;
    private LiveConfig live;
    private HttpServer adminServer;
    private List<AdminServer.RouteId> adminRoutes = List.of();
    private ProxyServer proxyServer;
    private final ConnectionGuard proxyConnections;
    private final BodyMemory bodyMemory;
    private final long proxyBodyLimit;
    private int proxyPort;
    private String proxyDeployment;
    private ResponseCache responseCache;
    private SpendLedger spendLedger;
    private LimitLedger limitLedger;
    private io.bricksllm.route.balance.TargetGroups routeGroups;
    private AutoCloseable limitLedgerResources;
    private SpendObserver spendObserver = SpendObserver.NONE;
    private RedisConnector redis;
    private SpendReseeder reseeder;
    private EventRetention retention;
    /** Told of each settled cost at a level with a budget: spend alerts, or {@link io.bricksllm.limits.SpendObserver#NONE}. */
    private PostgresChangeFeed changeFeed;
    private Telemetry telemetry;
    /** OpenTelemetry traces; {@link io.bricksllm.telemetry.tracing.Tracing#OFF} unless OTEL_TRACES_EXPORTER names an exporter. */
    private io.bricksllm.telemetry.tracing.Tracing tracing = io.bricksllm.telemetry.tracing.Tracing.OFF;
    private ProxyMetrics proxyMetrics;
    private BatchingEventSink events;
    /** The event webhook (EVENT_WEBHOOK_URL), or null when off. */
    private io.bricksllm.events.webhook.EventWebhook eventWebhook;
    /** Where the proxy publishes events: the database pipeline, and the webhook when one is set. */
    private io.bricksllm.events.EventSink eventsOut;
    private PriceEstimator costEstimator;
    private TokenEstimator tokenEstimator;
    private CostCalculator costCalculator;
    private MeterFactory meters;
    private io.bricksllm.proxy.translate.Translations translations;
    private PriceBook priceBook;
    /** The built-in providers: what the proxy, the admin API and the price book know of each. */
    private final Providers providers;
    private volatile boolean closed;
    private LanguageBackend languageBackend;
    private ScanPool policyScans;

    public Gateway(GatewayConfig config, Clock clock) {
        this(config, clock, System.out);
    }

    /** {@code requestLogOutput}: where the one-line-per-request log goes (standard output in a real run). */
    public Gateway(GatewayConfig config, Clock clock, OutputStream requestLogOutput) {
        this.config = config;
        this.proxyConnections = new ConnectionGuard(config.listenerLimits());
        // a body over the memory all bodies may share could never be admitted: such a limit would only mislead
        this.proxyBodyLimit = Math.min(config.proxyBodyLimitBytes(), config.proxyBodyMemoryBytes());
        if (proxyBodyLimit < config.proxyBodyLimitBytes()) {
            LOG.warn("PROXY_BODY_LIMIT ({} bytes) is above PROXY_BODY_MEMORY ({} bytes); request bodies are limited to {} bytes",
                    config.proxyBodyLimitBytes(), config.proxyBodyMemoryBytes(), proxyBodyLimit);
        }
        this.bodyMemory = new BodyMemory(config.proxyBodyMemoryBytes());
        this.clock = clock;
        this.requestLogOutput = requestLogOutput;
        this.providers = Providers.defaults(clock);
    }

    /** Blocking: returns once both listeners accept connections. */
    public Gateway start() throws Exception {
        long t0 = System.nanoTime();
        config.unusedVariables().forEach(LOG::warn);
        // Independent start-up work runs at once, each on its own thread (the common pool has a single thread on
        // a 2-core machine, which would run them one after the other): the database opens and migrates while
        // telemetry, prices, event loops and the response cache load.
        CompletableFuture<Database> dbOpening = inBackground("start-database", () -> Database.open(config));
        CompletableFuture<Telemetry> telemetryStarting = inBackground("start-telemetry", () -> Telemetry.from(config));
        CompletableFuture<PriceBook> pricesLoading = inBackground("start-prices", () -> PriceBook.load(config.priceFile(), clock, providers::priceChain));
        CompletableFuture<Vertx> loopsStarting = inBackground("start-vertx",
                () -> Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)));
        CompletableFuture<ResponseCache> memoryCache = config.redis().isPresent() ? CompletableFuture.completedFuture(null)
                : inBackground("start-cache", () -> new MemoryResponseCache(config.responseCacheBytes(), Ticker.systemTicker()));
        try {
            telemetry = joinStartUp(telemetryStarting); // before anything records: StatsD drops what comes before its socket connects
            tracing = io.bricksllm.telemetry.tracing.Tracing.from(config.otelVariables());
            proxyMetrics = new ProxyMetrics(telemetry.registry());
            requestLines = new LineWriter(requestLogOutput, 100_000, Duration.ofMillis(20), "request-log");
            requestLog = new RequestLog(config.production(), config.strictPrivacy(), requestLines, clock);
            db = joinStartUp(dbOpening);
            long storageMs = (System.nanoTime() - t0) / 1_000_000;
            KeyRepository keys = new KeyRepository(db);
            SecretCipher cipher = SecretCipher.of(config.encryptionKeys());
            ProviderSettingRepository settings = new ProviderSettingRepository(db, cipher);
            CredentialsAtRest.secure(settings, cipher);
            PolicyRepository policies = new PolicyRepository(db);
            CustomProviderRepository customProviders = new CustomProviderRepository(db);
            RouteRepository routeRepository = new RouteRepository(db);
            UserRepository users = new UserRepository(db);
            io.bricksllm.store.TeamRepository teams = new io.bricksllm.store.TeamRepository(db);
            live = new LiveConfig(keys, settings, customProviders, routeRepository, policies, users, teams);
            live.reload();

            EventRepository eventRepository = new EventRepository(db);
            // events but no rollups (first start after migration V12, or a restored database): rebuild before the
            // sink writes, so reports from rollups cover every event
            eventRepository.rollups().rebuildIfMissing().ifPresent(r ->
                    LOG.info("rebuilt the hourly event rollups: {} events, {} rows", r.events(), r.rollupRows()));
            // SQLite takes one writer at a time: parts on more connections would only queue for its lock
            int writers = db.dialect() == Database.Dialect.SQLITE ? 1 : config.eventWriters();
            PrivateFiles.directory(config.eventSpoolDir()); // spooled events hold request bodies: 0700
            events = new BatchingEventSink(eventRepository, config.eventQueueCapacity(), config.eventBatchSize(),
                    config.eventFlushInterval(), config.eventSpoolDir(), clock, writers);
            new EventSinkMetrics(events::stats).bindTo(telemetry.registry());
            eventsOut = events;
            if (config.eventWebhook().isPresent()) {
                PrivateFiles.directory(config.eventWebhook().get().spoolDir()); // spooled batches hold request bodies: 0700
                eventWebhook = new io.bricksllm.events.webhook.EventWebhook(config.eventWebhook().get(), config.eventQueueCapacity());
                new io.bricksllm.telemetry.EventWebhookMetrics(eventWebhook::stats).bindTo(telemetry.registry());
                eventsOut = new io.bricksllm.events.TeeEventSink(events, eventWebhook);
            }
            PriceBook prices = joinStartUp(pricesLoading);
            costCalculator = new CostCalculator(prices);
            Pricing pricing = new Pricing(costCalculator);
            TokenCounter tokens = new TokenCounter();
            costEstimator = new PriceEstimator(pricing, providers, config.maxReservationMicros(), config.defaultOutputTokens());
            meters = new ProviderMeterFactory(pricing, tokens, config.responseCostHeaders());
            translations = new io.bricksllm.proxy.translate.Translations(pricing, tokens);
            priceBook = prices;

            vertx = joinStartUp(loopsStarting);
            tokenEstimator = new TokenEstimator(vertx, tokens, costEstimator);
            openCounters();
            // after the counters were seeded at start-up; seeds read the archive and the events in one snapshot anyway
            retention = new EventRetention(vertx, db, clock, config.eventRetention(), config.eventBodyRetention(), 500);
            retention.start(Duration.ofMinutes(10));
            // after the ledgers: alerts read the spend they hold
            spendObserver = io.bricksllm.alerts.SpendAlerts.create(vertx, config.alerts(), spendLedger,
                    java.util.Optional.ofNullable(redis), telemetry.registry());
            watchConfiguration();
            if (config.amazonComprehendEnabled()) languageBackend = ComprehendLanguageBackend.create(vertx, config);
            policyScans = ScanPool.create(vertx, config.policyScanTimeout(), config.policyScanOffloadBytes());
            // target groups: health and in-flight counts (least-busy) shared in Redis in scale-out mode; latency is each instance's own
            routeGroups = new io.bricksllm.route.balance.TargetGroups(redis != null
                    ? new io.bricksllm.route.balance.RedisHealthBook(vertx, redis, clock::millis) : new io.bricksllm.route.balance.MemoryHealthBook(),
                    redis != null ? new io.bricksllm.route.balance.RedisSharedLoad(vertx, redis, config.concurrencyLease(), clock::millis)
                            : io.bricksllm.route.balance.SharedLoad.NONE,
                    java.util.concurrent.ThreadLocalRandom.current(), clock::millis, telemetry.registry());
            io.bricksllm.admin.audit.AuditLog auditLog = new io.bricksllm.admin.audit.AuditLog(db);
            AdminServer admin = new AdminServer(vertx, config.adminBodyLimitBytes(), List.of(
                    new ProviderSettingAdmin(settings, customProviders, providers, live, clock),
                    new io.bricksllm.admin.ProviderConnectionTest(settings, providers),
                    new io.bricksllm.events.OverviewAdmin(eventRepository.rollups(), keys::findAll, clock),
                    new io.bricksllm.events.KeyUsageAdmin(eventRepository,
                            id -> java.util.Optional.ofNullable(live.current().keysById().get(id)), clock),
                    new io.bricksllm.admin.LimitUsageAdmin(teams, users, limitLedger, clock),
                    new KeyAdmin(keys, settings, policies, teams, live, clock),
                    new UserAdmin(users, keys, teams, live, clock),
                    new io.bricksllm.admin.TeamAdmin(teams, live, clock),
                    new CustomProviderAdmin(customProviders, providers, live, clock),
                    new RouteAdmin(routeRepository, keys, providers, live, clock, routeGroups),
                    new PolicyAdmin(policies, keys, live, clock, languageBackend != null, policyScans),
                    new EventAdmin(eventRepository),
                    new MetricsResource(telemetry),
                    new HealthResource(db, redis == null ? null : () -> redis.ping().map(v -> true).otherwise(false)),
                    new ReportingAdmin(eventRepository, id -> live.current().keysById().containsKey(id), keys::findAll,
                            id -> live.current().teamsById().containsKey(id)),
                    new io.bricksllm.admin.audit.AuditAdmin(auditLog)),
                    adminSecurity(auditLog, keys, users, teams, java.util.Map.of("key", keys::findById,
                            "user", users::findById, "team", teams::findById, "provider-setting", settings::findById,
                            "custom-provider", customProviders::findById, "route", routeRepository::findById,
                            "policy", policies::findById)));
            adminRoutes = admin.routes();
            Future<HttpServer> adminListening = admin.listen(config.bindHost(), config.adminPort(), config.listenerLimits()); // both listeners open at once
            responseCache = redis != null ? new RedisResponseCache(redis) : joinStartUp(memoryCache);
            // Port 0 (tests) cannot be shared by several listeners; a real port gets one listener per core.
            int loops = config.proxyPort() == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
            List<ProxyServer> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
            proxyConnections.start(vertx);
            Future<String> proxyDeploying = vertx.deployVerticle(() -> {
                ProxyServer p = new ProxyServer(this::proxyPipeline, config.bindHost(), config.proxyPort(), proxyConnections);
                listeners.add(p);
                return p;
            }, new DeploymentOptions().setInstances(loops));
            adminServer = await(adminListening);
            proxyDeployment = await(proxyDeploying);
            proxyServer = listeners.get(0);
            proxyPort = proxyServer.actualPort();
            LOG.info("BricksLLM gateway started in {} ms (storage ready after {} ms): admin on {}:{}, proxy on {}:{}, storage {}, counters {}",
                    (System.nanoTime() - t0) / 1_000_000, storageMs, config.bindHost(), adminServer.actualPort(), config.bindHost(),
                    proxyPort, config.storageDescription(), config.countersDescription());
            LOG.info("proxy serves on {} event loop(s), transport {}", loops, vertx.isNativeTransportEnabled() ? "native" : "NIO");
            // Token encodings (~1 s of CPU, ~60 MB) load once the listeners are up, off the event loops: started earlier
            // they took a core from the rest of start-up on a 2-core machine. Only an answer without reported usage
            // needs them; one that comes first loads its encoding itself.
            CompletableFuture.runAsync(() -> {
                if (!closed) tokens.warmUp(); // a gateway closed before its turn came need not load them
            });
            return this;
        } catch (Exception | Error e) {
            // what started in the background but was not handed over yet would keep threads (event loops) alive
            if (vertx == null) loopsStarting.thenAccept(Vertx::close);
            if (db == null) dbOpening.thenAccept(Database::close);
            if (telemetry == null) telemetryStarting.thenAccept(Telemetry::close);
            close();
            throw e;
        }
    }

    /**
     * Other instances' admin changes: PostgreSQL LISTEN/NOTIFY (milliseconds) when shared, and a periodic
     * reload every IN_MEMORY_DB_UPDATE_INTERVAL as the safety net.
     */
    private void watchConfiguration() {
        if (config.postgres().isPresent()) {
            changeFeed = new PostgresChangeFeed(config.postgres().get(), db, live::reload).start();
            live.announceWith(changeFeed::publish);
        }
        long every = config.inMemoryDbUpdateInterval().toMillis();
        vertx.setPeriodic(every, every, id -> vertx.executeBlocking(() -> live.reload(), false)
                .onFailure(e -> LOG.warn("periodic configuration reload failed: {}", e.getMessage())));
    }

    private static <T> CompletableFuture<T> inBackground(String name, Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The result of start-up work, its own exception rethrown as is (a configuration or storage error keeps its message). */
    private static <T> T joinStartUp(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Rate, token, concurrency limits and budgets: in-process (embedded), or Redis shared by every instance (scale-out). */
    private void openCounters() {
        // reservations of a crashed instance are released after the longest a request can take, plus margin
        Duration holdTtl = Duration.ofMinutes(5).plus(config.proxyTimeout());
        if (config.redis().isPresent()) {
            redis = new RedisConnector(vertx, config.redis().get(), whileRedisIsDown());
            RedisSpendLedger ledger = new RedisSpendLedger(redis, holdTtl, true);
            GuardedSpendLedger guardedSpend = new GuardedSpendLedger(ledger, FailurePolicy.parse(config.budgetFailurePolicy()));
            RedisLimitLedger limits = new RedisLimitLedger(vertx, redis, config.concurrencyLease(), holdTtl, true, clock);
            GuardedLimitLedger guardedLimits = new GuardedLimitLedger(limits, FailurePolicy.parse(config.rateLimitFailurePolicy()),
                    FailurePolicy.parse(config.budgetFailurePolicy()), Duration.ofSeconds(1));
            LimitStoreMetrics.bind(telemetry.registry(), "limits", guardedLimits.outage());
            LimitStoreMetrics.bind(telemetry.registry(), "budget", guardedSpend.outage());
            spendLedger = guardedSpend;
            limitLedger = guardedLimits;
            limitLedgerResources = limits;
            // settles that failed (through either) mean Redis may miss spend: seed again when it answers
            reseeder = new SpendReseeder(vertx, db, ledger, clock, () -> guardedSpend.outage().failures() + guardedLimits.outage().failures());
            reseeder.seed().onFailure(e -> LOG.warn("spend not yet restored into Redis (retrying): {}", e.getMessage()));
            reseeder.start(Duration.ofSeconds(5));
        } else {
            // as Redis's: reservations left by a request that never settled stop holding budget
            MemorySpendLedger spend = new MemorySpendLedger(holdTtl);
            spendLedger = spend;
            // in-process slots need no lease (a crash loses them all); one never released expires with its reservation
            limitLedger = new MemoryLimitLedger(spend);
            SpendSeed.seedKeys(db, spendLedger, clock.instant());
            UserSpendSeed.seedUsers(db, spendLedger, clock.instant());
            SpendSeed.seedTeams(db, spendLedger, clock.instant());
        }
    }

    /** For the Redis outage warning: what admission does meanwhile, by the configured failure policies. */
    private String whileRedisIsDown() {
        return "until it answers, rate limits " + (FailurePolicy.parse(config.rateLimitFailurePolicy()) == FailurePolicy.FAIL_OPEN
                ? "admit requests" : "refuse requests (503)") + " (RATE_LIMIT_FAILURE_POLICY) and budgets "
                + (FailurePolicy.parse(config.budgetFailurePolicy()) == FailurePolicy.FAIL_OPEN ? "admit requests" : "refuse requests (503)")
                + " (BUDGET_FAILURE_POLICY)";
    }

    /** The request path, stage by stage: the order here is the order of admission (DESIGN.md §3). */
    /** Built once per event loop, on that loop: its own upstream client; limits, cache and sink are shared. */
    private ProxyPipeline proxyPipeline(Vertx vertx) {
        HttpClient upstream = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false)
                        .setConnectTimeout(10_000).setKeepAliveTimeout(60))
                .with(new PoolOptions().setHttp1MaxSize(512))
                .build();
        List<Stage> stages = List.of(
                new io.bricksllm.proxy.stage.ResolveStage(new EndpointCatalogue(ProviderEndpoints.all()), providers),
                new HeaderStage(config.proxyTimeout()),
                new AuthenticateStage(new SplittableRandom(), routeGroups),
                new BodyStage(proxyBodyLimit, bodyMemory, new RequestInspector(providers)),
                new io.bricksllm.proxy.stage.TargetStage(providers, translations, new SplittableRandom(), routeGroups),
                new AccessStage(),
                new UserStage(),
                new TeamAccessStage(),
                new UnpricedModelStage(costEstimator, config.allowUnpricedModels()),
                new PolicyStage(new PolicyEngine(languageBackend), policyScans, new LlmJudge(upstream, live, BearerProvider.openAi(), config.policyJudgeSettingId(),
                        config.policyJudgeModel(), config.customPolicyDetectionTimeout()),
                        "open".equals(config.policyJudgeFailure()) ? CustomRuleJudge.FailureMode.OPEN : CustomRuleJudge.FailureMode.CLOSED),
                new LimitStage(limitLedger, costEstimator, tokenEstimator, spendObserver));
        Forwarder forwarder = new Forwarder(vertx, upstream,
                new UpstreamRequestFactory(new HeaderRules(config.removeUserAgent()), tracing), meters, tracing,
                config.responseCostHeaders(), proxyMetrics::recordUpstreamLatency);
        RouteForwarder routes = new RouteForwarder(vertx, forwarder, providers, translations, new RetryPolicy(new SplittableRandom()),
                responseCache, eventsOut, costCalculator, routeGroups, new io.bricksllm.route.BudgetShare(limitLedger));
        return new ProxyPipeline(vertx, live, stages, forwarder, routes,
                eventsOut, clock, ProxyPipeline.ProxyObserver.all(proxyMetrics,
                        requestLog), new io.bricksllm.proxy.UnifiedModels(providers, () -> priceBook),
                new io.bricksllm.proxy.KeyView(limitLedger), tracing);
    }

    /** Spend alerts (ALERT_WEBHOOK_URL), {@link io.bricksllm.limits.SpendObserver#NONE} when off; set once started. */
    public SpendObserver spendObserver() {
        return spendObserver;
    }

    /**
     * Issue 21: console sign-in (ADMIN_PASS sessions, OIDC), the role table of the admin routes, and the audit log of
     * changes with the resource before each change read by its type's repository.
     */
    private io.bricksllm.admin.auth.AdminSecurity adminSecurity(io.bricksllm.admin.audit.AuditLog auditLog, KeyRepository keys,
            UserRepository users, io.bricksllm.store.TeamRepository teams,
            java.util.Map<String, java.util.function.Function<String, java.util.Optional<?>>> loaders) {
        var console = config.consoleAuth();
        var sessions = new io.bricksllm.admin.auth.SessionStore(db, clock);
        var oidc = console.oidcEnabled() ? new io.bricksllm.admin.auth.OidcClient(console) : null;
        var authenticator = new io.bricksllm.admin.auth.AdminAuthenticator(config.adminPass(), sessions, oidc);
        var table = new io.bricksllm.admin.auth.AdminRouteTable(new io.bricksllm.admin.auth.TeamScope(keys, users, teams));
        var audit = new io.bricksllm.admin.audit.AuditRecorder(auditLog, loaders, clock);
        var routes = new io.bricksllm.admin.auth.ConsoleAuthRoutes(vertx, authenticator, sessions,
                new io.bricksllm.admin.auth.LoginThrottle(clock), console.sessionTtl());
        return new io.bricksllm.admin.auth.AdminSecurity(authenticator, table, audit, routes);
    }

    /** The admin routes as registered (method and path template), for the tests that walk every route. */
    public List<AdminServer.RouteId> adminRoutes() {
        return adminRoutes;
    }

    public int adminPort() {
        return adminServer.actualPort();
    }

    /** For tests: the usage meters (which hold the token encodings); null once closed. */
    /** The registry the gateway's metrics are recorded in (tests wait on it for the StatsD client to connect). */
    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return telemetry.registry();
    }

    /** For tests: the translations of the unified endpoint (they hold the token counter too). */
    io.bricksllm.proxy.translate.Translations translations() {
        return translations;
    }

    MeterFactory meters() {
        return meters;
    }

    public int proxyPort() {
        return proxyPort;
    }

    /** The memory request bodies in flight hold together. */
    public BodyMemory bodyMemory() {
        return bodyMemory;
    }

    public ConnectionGuard proxyConnections() {
        return proxyConnections;
    }

    public LiveConfig liveConfig() {
        return live;
    }

    public Database database() {
        return db;
    }

    /** Stops accepting, lets in-flight requests finish (bounded), then releases storage. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            // Both listeners drain at once; the whole stop stays under 10 s (5 drain + 3 events + 1 loops).
            Future<Void> proxyDone = proxyDeployment == null ? Future.succeededFuture() : vertx.undeploy(proxyDeployment);
            Future<Void> adminDone = adminServer == null ? Future.succeededFuture() : adminServer.shutdown(1, TimeUnit.SECONDS);
            Future.join(proxyDone, adminDone).await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("listeners did not stop cleanly: {}", e.toString());
        }
        // the webhook beside the database sink, not after it: the stop stays within the same 3 s
        CompletableFuture<Void> webhookClosed = eventWebhook == null ? null : inBackground("close-event-webhook", () -> {
            eventWebhook.close(Duration.ofSeconds(3)); // its queue to its spool; the batch in flight gets its answer
            return null;
        });
        if (events != null) events.close(Duration.ofSeconds(3)); // after the proxy drained: every finished request's event is written or spooled
        if (webhookClosed != null) webhookClosed.join();
        if (requestLines != null) requestLines.close(); // after the proxy drained: every finished request has its line
        if (telemetry != null) telemetry.close();
        tracing.close(); // after the proxy drained: the last requests' spans are exported
        if (changeFeed != null) changeFeed.close();
        if (reseeder != null) reseeder.close();
        if (retention != null) retention.close();
        if (spendObserver instanceof io.bricksllm.alerts.SpendAlerts alerts) alerts.close(); // its retries stop; before Redis and the loops
        if (limitLedgerResources != null) {
            try {
                limitLedgerResources.close(); // stops renewing concurrency leases: they lapse like a crashed instance's
            } catch (Exception e) {
                LOG.warn("limit ledger did not stop cleanly: {}", e.toString());
            }
        }
        if (redis != null) redis.close();
        if (languageBackend != null) languageBackend.close();
        if (vertx != null) {
            try {
                vertx.close().await(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("event loops did not stop cleanly: {}", e.toString());
            }
        }
        if (db != null) db.close();
        // A closed gateway may stay referenced (tests keep them in fields): let go of what is large, the token
        // encodings (~60 MB) and the price book above all.
        meters = null;
        translations = null; // its answer metering holds the token counter
        priceBook = null;
        costCalculator = null;
        costEstimator = null;
        tokenEstimator = null; // holds the token counter
        responseCache = null;
        proxyServer = null; // its pipeline holds the meters
        vertx = null;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.await(30, TimeUnit.SECONDS);
    }
}
