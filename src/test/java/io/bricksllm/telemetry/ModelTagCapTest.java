package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.bricksllm.proxy.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Callers choose model names: the {@code model} tag keeps a bounded set of values, then {@code other}. */
class ModelTagCapTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private Set<String> modelTags() {
        Set<String> models = new TreeSet<>();
        registry.find(ProxyMetrics.REQUESTS).counters().forEach(c -> models.add(c.getId().getTag("model")));
        return models;
    }

    private double requests(String model) {
        return registry.find(ProxyMetrics.REQUESTS).tag("model", model).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void theDefaultCapKeeps200ModelsThenTagsOther() {
        ProxyMetrics metrics = new ProxyMetrics(registry);
        for (int i = 0; i < 250; i++) {
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "m" + i), Requests.ok(200, "model-" + i, 1, 1, 0.001), 3);
        }
        Set<String> models = modelTags();
        assertThat(models).hasSize(ProxyMetrics.DEFAULT_MODEL_CAP + 1).contains("model-0", "model-199", "other")
                .doesNotContain("model-200", "model-249");
        assertThat(requests("other")).isEqualTo(50.0);
        // a kept model keeps its own tag after the cap is reached
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "m"), Requests.ok(200, "model-7", 1, 1, 0.001), 3);
        assertThat(requests("model-7")).isEqualTo(2.0);
        // tokens and cost use the same bounded values
        Set<String> tokenModels = new TreeSet<>();
        registry.find(ProxyMetrics.TOKENS).counters().forEach(c -> tokenModels.add(c.getId().getTag("model")));
        assertThat(tokenModels).isEqualTo(models);
    }

    @Test
    void refusedAndFailedRequestsCannotUseUpTheCap() {
        ProxyMetrics metrics = new ProxyMetrics(registry, 3);
        for (int i = 0; i < 20; i++) {
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "junk-" + i), Requests.refused(new Refusal.Forbidden("no", "model_not_allowed")), 1);
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "bogus-" + i), Requests.ok(404, "", -1, -1, 0), 80);
        }
        assertThat(modelTags()).containsExactly("other");
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.ok(200, "gpt-4o", 1, 1, 0.001), 3);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o-mini"), Requests.ok(200, "gpt-4o-mini", 1, 1, 0.001), 3);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "o3"), Requests.ok(200, "o3", 1, 1, 0.001), 3);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "o4"), Requests.ok(200, "o4", 1, 1, 0.001), 3);
        assertThat(modelTags()).containsExactly("gpt-4o", "gpt-4o-mini", "o3", "other");
        // once kept, a refusal for that model is tagged with it
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "o3"), Requests.refused(new Refusal.RateLimited("slow")), 1);
        assertThat(registry.find(ProxyMetrics.REQUESTS).tag("model", "o3").tag("status", "429").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theCapHoldsUnderConcurrentEventLoops() throws Exception {
        ProxyMetrics metrics = new ProxyMetrics(registry, 50);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                go.await();
                for (int i = 0; i < 100; i++) {
                    metrics.finished(Requests.exchange("openai", Requests.CHAT, "x"), Requests.ok(200, "t" + thread + "-" + i, 1, 1, 0), 1);
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(modelTags()).hasSize(51).contains("other");
        assertThat(requests("other")).isEqualTo(350.0);
    }

    @Test
    void modelNamesAreSanitisedAndTruncated() {
        assertThat(ModelTags.sanitize("gpt-4o-2024-08-06")).isEqualTo("gpt-4o-2024-08-06");
        assertThat(ModelTags.sanitize("meta-llama/Meta-Llama-3.1-8B-Instruct")).isEqualTo("meta-llama/Meta-Llama-3.1-8B-Instruct");
        assertThat(ModelTags.sanitize("ft:gpt-4o-mini:org::AbC12")).isEqualTo("ft:gpt-4o-mini:org::AbC12");
        assertThat(ModelTags.sanitize("a,b|c#d e\"f\ng")).isEqualTo("a_b_c_d_e_f_g");
        assertThat(ModelTags.sanitize("modèle")).isEqualTo("mod_le");
        assertThat(ModelTags.sanitize("x".repeat(500))).hasSize(ModelTags.MAX_LENGTH);
    }

    @Test
    void aBrokenRecordingNeverReachesTheRequestPath() {
        ProxyMetrics metrics = new ProxyMetrics(registry);
        assertThatCode(() -> metrics.record("openai", null, "m", 200, 1, 1, 1, 0.1, 100_000, false, null, false, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> metrics.cacheHit(null)).doesNotThrowAnyException();
        assertThatCode(() -> metrics.recordUpstreamLatency("openai", null, 5)).doesNotThrowAnyException();
    }
}
