package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.events.Event;
import io.bricksllm.events.EventFilter;
import io.bricksllm.events.EventRepository;
import io.bricksllm.events.EventRepository.Order;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The events table keeps a usage anomaly (migration V6) on both databases, batch-inserted as the sink writes. */
class UsageAnomalyStorageTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEventsUsageAnomalyRoundTrips(Kind kind) {
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            Event anomalous = event(1_700_000_001L, "prompt_tokens:above_bound,completion_tokens:unreadable");
            Event normal = event(1_700_000_002L, "");
            repo.insert(List.of(anomalous, normal));

            List<Event> read = repo.find(EventFilter.all(), Order.DATE_ASC, 0, 0);
            assertThat(read).extracting(Event::usageAnomaly)
                    .containsExactly("prompt_tokens:above_bound,completion_tokens:unreadable", "");
            assertThat(read.get(0)).usingRecursiveComparison().isEqualTo(anomalous);
        }
    }

    private static Event event(long createdAt, String anomaly) {
        return new Event(Event.newId(), createdAt, List.of(), "k", 0.000012, "openai", "gpt-4o-mini", 200, 8, 50, 3,
                "/api/providers/openai/v1/chat/completions", "POST", "", null, null, "", "", "", "", "c", null, false, 0, 0, "",
                anomaly);
    }
}
