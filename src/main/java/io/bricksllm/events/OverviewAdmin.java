package io.bricksllm.events;

import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.ApiKey;
import io.vertx.core.http.HttpMethod;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /api/reporting/overview?days=N} (issue 21): what the console's overview page shows, in one call, from the
 * daily rollups: totals for today, 7 and N days (UTC days, today included), per day, per model, provider, key and team,
 * and the error rate. Errors count as the rollups count them: a 4xx/5xx status or a blocked request.
 */
public final class OverviewAdmin implements AdminResource {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    /** Rows per breakdown: the rest are summed into one "(other)" row, so a page stays small with many keys. */
    static final int TOP = 20;

    /** Totals of a set of events; {@code costInUsd} summed exactly in pico-dollars first. */
    public record Totals(long requests, long errors, double costInUsd, double errorRate) {}

    public record Day(long day, long requests, long errors, double costInUsd) {}

    /** One row of a breakdown: its id (key id, team id, model or provider), a label to show, and its totals. */
    public record Row(String id, String label, long requests, long errors, double costInUsd) {}

    public record Overview(long generatedAt, int days, Totals today, Totals last7Days, Totals range, List<Day> byDay,
                           List<Row> byModel, List<Row> byProvider, List<Row> byKey, List<Row> byTeam) {}

    private final EventRollups rollups;
    private final Supplier<List<ApiKey>> allKeys;
    private final Clock clock;

    public OverviewAdmin(EventRollups rollups, Supplier<List<ApiKey>> allKeys, Clock clock) {
        this.rollups = rollups;
        this.allKeys = allKeys;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/reporting/overview", this::overview);
    }

    AdminReply overview(AdminRequest req) {
        int days = days(req.queryFirst("days"));
        long now = clock.instant().getEpochSecond();
        long today = Math.floorDiv(now, EventRollups.DAY) * EventRollups.DAY;
        long from = today - (days - 1L) * EventRollups.DAY;
        List<EventRollups.DayGroup> groups = rollups.dayGroups(from, today + EventRollups.DAY);

        Map<Long, Sum> byDay = new LinkedHashMap<>();
        for (long d = from; d <= today; d += EventRollups.DAY) byDay.put(d, new Sum());
        Sum todays = new Sum(), week = new Sum(), all = new Sum();
        Map<String, Sum> models = new HashMap<>(), providers = new HashMap<>(), keys = new HashMap<>(), teams = new HashMap<>();
        for (EventRollups.DayGroup g : groups) {
            byDay.computeIfAbsent(g.day(), d -> new Sum()).add(g);
            all.add(g);
            if (g.day() >= today) todays.add(g);
            if (g.day() > today - 7 * EventRollups.DAY) week.add(g);
            models.computeIfAbsent(g.model(), k -> new Sum()).add(g);
            providers.computeIfAbsent(g.provider(), k -> new Sum()).add(g);
            keys.computeIfAbsent(g.keyId(), k -> new Sum()).add(g);
            teams.computeIfAbsent(g.teamId(), k -> new Sum()).add(g);
        }
        Map<String, String> keyNames = new HashMap<>();
        for (ApiKey k : allKeys.get()) keyNames.put(k.keyId(), k.name() == null ? "" : k.name());
        List<Day> perDay = new ArrayList<>();
        byDay.forEach((d, s) -> perDay.add(new Day(d, s.requests, s.errors, s.usd())));
        return AdminReply.ok(new Overview(now, days, todays.totals(), week.totals(), all.totals(), perDay,
                rows(models, id -> id.isEmpty() ? "(unknown model)" : id),
                rows(providers, id -> id.isEmpty() ? "(none)" : id),
                rows(keys, id -> id.isEmpty() ? "(no key)" : keyNames.getOrDefault(id, "(deleted key)")),
                rows(teams, id -> id.isEmpty() ? "(no team)" : id)));
    }

    private static List<Row> rows(Map<String, Sum> sums, Function<String, String> label) {
        List<Map.Entry<String, Sum>> sorted = new ArrayList<>(sums.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, Sum>, BigInteger>comparing(e -> e.getValue().pico).reversed()
                .thenComparing(e -> e.getValue().requests, Comparator.reverseOrder()).thenComparing(Map.Entry::getKey));
        List<Row> out = new ArrayList<>();
        Sum other = new Sum();
        for (int i = 0; i < sorted.size(); i++) {
            Map.Entry<String, Sum> e = sorted.get(i);
            if (i < TOP) out.add(new Row(e.getKey(), label.apply(e.getKey()), e.getValue().requests, e.getValue().errors, e.getValue().usd()));
            else other.add(e.getValue());
        }
        if (other.requests > 0) out.add(new Row("", "(other)", other.requests, other.errors, other.usd()));
        return out;
    }

    private static int days(String text) {
        if (text == null || text.isEmpty()) return DEFAULT_DAYS;
        try {
            int d = Integer.parseInt(text);
            if (d >= 1 && d <= MAX_DAYS) return d;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw AdminError.validation("days must be a whole number from 1 to " + MAX_DAYS + ", not " + text);
    }

    private static final class Sum {
        long requests, errors;
        BigInteger pico = BigInteger.ZERO;

        void add(EventRollups.DayGroup g) {
            requests += g.requests();
            errors += g.errors();
            pico = pico.add(g.costPico());
        }

        void add(Sum s) {
            requests += s.requests;
            errors += s.errors;
            pico = pico.add(s.pico);
        }

        double usd() {
            return EventRollups.usd(pico);
        }

        Totals totals() {
            return new Totals(requests, errors, usd(), requests == 0 ? 0 : (double) errors / requests);
        }
    }
}
