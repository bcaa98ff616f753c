package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.store.Policy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The engine with a language backend: concurrency, merging with local findings, and every way a backend can fail. */
class PolicyEngineBackendTest {

    /** A backend answering by a function of the text; records each call. */
    static final class StubBackend implements LanguageBackend {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Set<PiiEntity>> wanted = new CopyOnWriteArrayList<>();
        final BiFunction<String, Set<PiiEntity>, Future<List<Finding>>> answer;

        StubBackend(BiFunction<String, Set<PiiEntity>, Future<List<Finding>>> answer) {
            this.answer = answer;
        }

        @Override
        public Future<List<Finding>> detect(String text, Set<PiiEntity> w) {
            texts.add(text);
            wanted.add(w);
            return answer.apply(text, w);
        }
    }

    static Policy policy(String id, Map<String, String> rules) {
        return new Policy(id, id, 1, 1, List.of(), new Policy.EntityConfig(rules), null, null);
    }

    static byte[] chat(String... texts) {
        StringBuilder sb = new StringBuilder("{\"model\":\"m\",\"messages\":[");
        for (int i = 0; i < texts.length; i++) sb.append(i > 0 ? "," : "").append("{\"role\":\"user\",\"content\":\"").append(texts[i]).append("\"}");
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Finds "Jane" as a name wherever it is. */
    static Future<List<Finding>> names(String text, Set<PiiEntity> wanted) {
        int i = text.indexOf("Jane");
        return Future.succeededFuture(i < 0 ? List.of() : List.of(new Finding(PiiEntity.NAME, i, i + 4)));
    }

    static Verdict await(Future<Verdict> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void everyTextGoesToTheBackendAtOnceAndTheVerdictWaitsForAll() throws Exception {
        List<Promise<List<Finding>>> pending = new CopyOnWriteArrayList<>();
        StubBackend b = new StubBackend((t, w) -> {
            Promise<List<Finding>> p = Promise.promise();
            pending.add(p);
            return p.future();
        });
        PolicyEngine engine = new PolicyEngine(b);
        Policy p = policy("p", Map.of("name", "allow_but_redact"));
        Future<Verdict> v = engine.evaluateAsync(p, chat("Jane one", "two", "three Jane"));
        assertThat(b.texts).as("all calls issued before any answer").containsExactly("Jane one", "two", "three Jane");
        assertThat(b.wanted).allSatisfy(w -> assertThat(w).containsExactly(PiiEntity.NAME));
        pending.get(2).complete(List.of(new Finding(PiiEntity.NAME, 6, 10)));
        pending.get(1).complete(List.of());
        assertThat(v.isComplete()).isFalse();
        pending.get(0).complete(List.of(new Finding(PiiEntity.NAME, 0, 4)));
        Verdict done = await(v);
        assertThat(done.action()).isEqualTo(PolicyAction.REDACT);
        assertThat(new String(done.body(), StandardCharsets.UTF_8)).isEqualTo(new String(chat("*** one", "two", "three ***"), StandardCharsets.UTF_8));
        assertThat(done.fired()).containsExactly("name");
    }

    @Test
    void backendFindingsMergeWithLocalOnesAndRegexRulesUnderTheStrongestAction() throws Exception {
        PolicyEngine engine = new PolicyEngine(new StubBackend(PolicyEngineBackendTest::names));
        Policy p = new Policy("m", "m", 1, 1, List.of(), new Policy.EntityConfig(Map.of("name", "allow_but_redact", "email", "allow_but_redact",
                "address", "block")), new Policy.RuleConfig(List.of(new Policy.Rule("secret-[a-z]+", "allow_but_warn"))), null);
        Verdict v = await(engine.evaluateAsync(p, chat("Jane at j@x.io", "secret-sauce")));
        assertThat(v.action()).isEqualTo(PolicyAction.WARN);
        assertThat(v.fired()).containsExactlyInAnyOrder("name", "email", "regex[0]");
        assertThat(new String(v.body(), StandardCharsets.UTF_8)).contains("\"*** at ***\"");
    }

    @Test
    void onlyPoliciesWithABackendEntityThatHasAnActionUseTheBackend() throws Exception {
        StubBackend b = new StubBackend(PolicyEngineBackendTest::names);
        PolicyEngine engine = new PolicyEngine(b);
        assertThat(engine.needsBackend(policy("l", Map.of("email", "block")))).isFalse();
        assertThat(engine.needsBackend(policy("a", Map.of("name", "allow", "email", "block")))).isFalse();
        assertThat(engine.needsBackend(policy("all", Map.of("all", "block")))).as("all = every local entity").isFalse();
        assertThat(engine.needsBackend(policy("n", Map.of("name", "allow_but_warn")))).isTrue();
        Verdict local = await(engine.evaluateAsync(policy("l", Map.of("email", "block")), chat("Jane j@x.io")));
        assertThat(local.action()).isEqualTo(PolicyAction.BLOCK);
        assertThat(b.texts).isEmpty();
        assertThat(new PolicyEngine().needsBackend(policy("n", Map.of("name", "block")))).as("no backend configured").isFalse();
    }

    @Test
    void withoutABackendTheEntitiesAreReportedUnavailableAsBefore() {
        Verdict v = new PolicyEngine().evaluate(policy("u", Map.of("name", "block", "email", "allow_but_warn")), chat("Jane j@x.io"));
        assertThat(v.action()).isEqualTo(PolicyAction.WARN);
        assertThat(v.fired()).containsExactly("unavailable:name", "email");
        Verdict with = new PolicyEngine(new StubBackend(PolicyEngineBackendTest::names))
                .evaluate(policy("u", Map.of("name", "block", "email", "allow_but_warn")), chat("Jane j@x.io"));
        assertThat(with.fired()).as("the sync path never reports a configured backend unavailable").containsExactly("email");
    }

    @Test
    void anyFailureOfAnyTextRecordsBackendFailedAndFollowsTheLocalVerdict() throws Exception {
        Policy p = policy("f", Map.of("name", "block", "email", "allow_but_redact"));
        byte[] body = chat("Jane j@x.io", "Jane again");
        List<StubBackend> failing = List.of(
                new StubBackend((t, w) -> t.contains("again") ? Future.failedFuture(new RuntimeException("down")) : names(t, w)),
                new StubBackend((t, w) -> {
                    throw new IllegalStateException("thrown, not failed");
                }),
                new StubBackend((t, w) -> null),
                new StubBackend((t, w) -> Future.succeededFuture(null)),
                new StubBackend((t, w) -> Future.succeededFuture(java.util.Arrays.asList((Finding) null))),
                new StubBackend((t, w) -> Future.succeededFuture(List.of(new Finding(PiiEntity.NAME, 0, t.length() + 1)))));
        for (StubBackend b : failing) {
            Verdict v = await(new PolicyEngine(b).evaluateAsync(p, body));
            assertThat(v.action()).as("the local verdict: the email is redacted, the name not blocked").isEqualTo(PolicyAction.REDACT);
            assertThat(v.fired()).containsExactlyInAnyOrder("backend_failed", "email");
            assertThat(new String(v.body(), StandardCharsets.UTF_8)).contains("\"Jane ***\"", "\"Jane again\"");
        }
    }

    @Test
    void findingsOfEntitiesThePolicyDidNotAskForAreIgnored() throws Exception {
        StubBackend b = new StubBackend((t, w) -> Future.succeededFuture(List.of(new Finding(PiiEntity.ADDRESS, 0, 4))));
        Verdict v = await(new PolicyEngine(b).evaluateAsync(policy("i", Map.of("name", "block")), chat("Jane")));
        assertThat(v.action()).isEqualTo(PolicyAction.ALLOW);
        assertThat(v.fired()).isEmpty();
    }
}
