package io.bricksllm.events;

import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.Database;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A fresh database, its event repository and an admin listener on a free port serving the given resources. */
final class AdminHarness implements AutoCloseable {
    final Database db;
    final EventRepository repo;
    final AdminClient client;
    /** http://127.0.0.1:port of the admin listener, for tests that need an answer's headers. */
    final String base;
    private final Vertx vertx;
    private final HttpServer server;

    AdminHarness(Kind kind, Function<EventRepository, List<AdminResource>> resources) throws Exception {
        db = TestDatabases.open(kind);
        repo = new EventRepository(db);
        vertx = Vertx.vertx();
        AdminServer admin = new AdminServer(vertx, "", 5 << 20, resources.apply(repo));
        server = admin.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
        client = new AdminClient(base);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        db.close();
    }
}
