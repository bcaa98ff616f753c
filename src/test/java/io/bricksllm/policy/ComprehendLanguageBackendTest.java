package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.config.ConfigLoader;
import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.comprehend.model.DetectPiiEntitiesResponse;

/** Comprehend answers to findings: types, code-point offsets, and answers that cannot be trusted. */
class ComprehendLanguageBackendTest {

    static DetectPiiEntitiesResponse answer(software.amazon.awssdk.services.comprehend.model.PiiEntity... entities) {
        return DetectPiiEntitiesResponse.builder().entities(entities).build();
    }

    static software.amazon.awssdk.services.comprehend.model.PiiEntity entity(String type, Integer begin, Integer end) {
        return software.amazon.awssdk.services.comprehend.model.PiiEntity.builder().type(type).beginOffset(begin).endOffset(end)
                .score(0.99f).build();
    }

    @Test
    void typesMapToEntitiesByNameAndOnlyTheWantedOnesAreKept() {
        String text = "Jane Doe lives at 1 Main St";
        List<Finding> f = ComprehendLanguageBackend.findings(text, Set.of(PiiEntity.NAME, PiiEntity.AGE),
                answer(entity("NAME", 0, 8), entity("ADDRESS", 18, 27), entity("SOMETHING_NEW", 0, 4)));
        assertThat(f).containsExactly(new Finding(PiiEntity.NAME, 0, 8));
    }

    @Test
    void codePointOffsetsBecomeStringIndexes() {
        String text = "\uD83D\uDE00\uD83D\uDE00 Jane Doe"; // two emoji: 2 code points, 4 chars
        List<Finding> f = ComprehendLanguageBackend.findings(text, Set.of(PiiEntity.NAME), answer(entity("NAME", 3, 11)));
        assertThat(f).containsExactly(new Finding(PiiEntity.NAME, 5, 13));
        assertThat(text.substring(5, 13)).isEqualTo("Jane Doe");
    }

    @Test
    void anAnswerWithoutEntitiesFindsNothing() {
        assertThat(ComprehendLanguageBackend.findings("x", Set.of(PiiEntity.NAME), DetectPiiEntitiesResponse.builder().build())).isEmpty();
        assertThat(ComprehendLanguageBackend.findings("x", Set.of(PiiEntity.NAME), answer())).isEmpty();
    }

    @Test
    void anEntityWithoutOffsetsOrOutsideTheTextFailsTheWholeAnswer() {
        Set<PiiEntity> name = Set.of(PiiEntity.NAME);
        for (var bad : List.of(entity("NAME", null, 3), entity("NAME", 0, null), entity(null, 0, 3), entity("NAME", -1, 3),
                entity("NAME", 3, 3), entity("NAME", 0, 5), entity("ADDRESS", 2, 9))) {
            assertThatThrownBy(() -> ComprehendLanguageBackend.findings("Jane", name, answer(entity("NAME", 0, 4), bad)))
                    .as(bad.toString()).isInstanceOf(ComprehendLanguageBackend.IncompleteAnswer.class);
        }
    }

    static List<String> parts(String text, int maxBytes) {
        return ComprehendLanguageBackend.parts(text, maxBytes).stream().map(r -> text.substring(r[0], r[1])).toList();
    }

    @Test
    void aTextOverTheLimitIsCutAfterWhitespaceWithinTheByteBudget() {
        assertThat(parts("short text", 100)).containsExactly("short text");
        assertThat(parts("aaa bbb ccc", 8)).containsExactly("aaa bbb ", "ccc");
        assertThat(parts("abcdefghij", 4)).as("no whitespace: cut where the budget ends").containsExactly("abcd", "efgh", "ij");
        assertThat(parts("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", 5)).as("never inside a surrogate pair")
                .containsExactly("\uD83D\uDE00", "\uD83D\uDE00", "\uD83D\uDE00");
        assertThat(parts("\u00e9\u00e9 \u00e9\u00e9", 5)).as("2-byte characters").containsExactly("\u00e9\u00e9 ", "\u00e9\u00e9");
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab \u00e9\u4e2d\n";
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(300);
            for (int i = 0; i < len; i++) {
                if (random.nextInt(20) == 0) sb.append("\uD83D\uDE00");
                else sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            int max = 4 + random.nextInt(40);
            List<String> ps = parts(text, max);
            assertThat(String.join("", ps)).isEqualTo(text);
            assertThat(ps).allSatisfy(p -> assertThat(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max));
        }
    }

    @Test
    void detectCallsTheConfiguredEndpointOnAWorkerAndSkipsEmptyTexts() throws Exception {
        FakeComprehend.useDummyCredentials();
        Vertx vertx = Vertx.vertx();
        try (FakeComprehend fake = new FakeComprehend().knows("Jane Doe", "NAME").knows("Baker Street", "ADDRESS");
             ComprehendLanguageBackend backend = ComprehendLanguageBackend.create(vertx, ConfigLoader.load(Map.of(
                     "AMAZON_COMPREHEND_ENABLED", "true", "AMAZON_COMPREHEND_ENDPOINT", fake.url(), "AMAZON_REGION", "eu-west-1")))) {
            List<Finding> f = backend.detect("Jane Doe, Baker Street", Set.of(PiiEntity.NAME)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(f).containsExactly(new Finding(PiiEntity.NAME, 0, 8));
            assertThat(backend.detect("", Set.of(PiiEntity.NAME)).result()).isEmpty();
            assertThat(fake.calls()).singleElement().satisfies(c -> {
                assertThat(c.text()).isEqualTo("Jane Doe, Baker Street");
                assertThat(c.languageCode()).isEqualTo("en");
                assertThat(c.authorization()).contains("/eu-west-1/comprehend/");
            });
            // over Comprehend's 100 KB: parts of it, one call each, spans back in the whole text
            fake.reset();
            String filler = "lorem ipsum ".repeat(10_000);
            String longText = "Jane Doe " + filler + "Jane Doe";
            List<Finding> inLong = backend.detect(longText, Set.of(PiiEntity.NAME)).toCompletionStage().toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertThat(inLong).containsExactly(new Finding(PiiEntity.NAME, 0, 8), new Finding(PiiEntity.NAME, longText.length() - 8, longText.length()));
            assertThat(fake.calls()).hasSize(2).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(100_000));
            fake.mode(FakeComprehend.Mode.SERVER_ERROR);
            assertThatThrownBy(() -> backend.detect("Jane Doe", Set.of(PiiEntity.NAME)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            FakeComprehend.clearDummyCredentials();
        }
    }
}
