package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.policy.detect.PiiScanner;
import io.bricksllm.policy.detect.ScanAbortedException;
import io.bricksllm.policy.detect.ScanDeadline;
import io.bricksllm.store.Policy;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Scans stop themselves at their deadline, on the thread that runs them; verdicts say what to record. */
class PolicyEngineDeadlineTest {

    /** Runs on the calling thread with a deadline {@code budget} from the call. */
    static ScanRunner within(Duration budget) {
        return new ScanRunner() {
            @Override
            public <T> Future<T> run(long size, Function<ScanDeadline, T> work) {
                try {
                    return Future.succeededFuture(work.apply(ScanDeadline.after(budget)));
                } catch (RuntimeException e) {
                    return Future.failedFuture(e);
                }
            }
        };
    }

    static Policy regexPolicy(String definition, String action) {
        return new Policy("r", "r", 1, 1, List.of(), new Policy.EntityConfig(Map.of()),
                new Policy.RuleConfig(List.of(new Policy.Rule(definition, action))), null);
    }

    static byte[] chat(String text) {
        return ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBacktrackingRegexStopsAtTheDeadlineOnItsOwnThread() {
        long t0 = System.nanoTime();
        Future<Verdict> v = new PolicyEngine().evaluateAsync(regexPolicy("(a|aa){1,100}$", "block"), chat("a".repeat(64) + "!"),
                within(Duration.ofMillis(200)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(v.failed()).isTrue();
        assertThat(v.cause()).isInstanceOf(ScanAbortedException.class);
        assertThat(((ScanAbortedException) v.cause()).finding()).isEqualTo("scan_timeout");
        assertThat(ms).as("returned soon after the 200 ms deadline").isLessThan(1_500);
    }

    @Test
    void detectorsStopAtTheDeadline() {
        StringBuilder text = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        while (text.length() < 1 << 20) text.append(r.nextInt(10_000)).append(" -./()".charAt(r.nextInt(6)));
        PiiScanner phones = new PiiScanner(EnumSet.of(PiiEntity.PHONE));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> phones.scan(text.toString(), ScanDeadline.after(Duration.ofMillis(100))))
                .isInstanceOf(ScanAbortedException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void theRecordedBodyMasksWhatWasWarnedOrBlockedTheForwardedOneOnlyWhatWasRedacted() {
        Policy warn = new Policy("w", "w", 1, 1, List.of(), new Policy.EntityConfig(Map.of("email", "allow_but_warn", "ip_address", "allow_but_redact")),
                new Policy.RuleConfig(List.of(new Policy.Rule("ticket-[0-9]+", "allow_but_warn"))), null);
        Verdict v = new PolicyEngine().evaluate(warn, chat("a@b.io at 10.0.0.1 re ticket-77"));
        assertThat(v.action()).isEqualTo(PolicyAction.WARN);
        assertThat(new String(v.body(), StandardCharsets.UTF_8)).contains("a@b.io at *** re ticket-77");
        assertThat(new String(v.recordedBody(), StandardCharsets.UTF_8)).contains("\"*** at *** re ***\"");

        Verdict redactOnly = new PolicyEngine().evaluate(new Policy("x", "x", 1, 1, List.of(),
                new Policy.EntityConfig(Map.of("email", "allow_but_redact")), null, null), chat("a@b.io"));
        assertThat(redactOnly.recordedBody()).as("the forwarded body is already the one to record").isNull();

        Verdict blocked = new PolicyEngine().evaluate(new Policy("b", "b", 1, 1, List.of(),
                new Policy.EntityConfig(Map.of("email", "block")), null, null), chat("mail a@b.io"));
        assertThat(blocked.body()).isNull();
        assertThat(new String(blocked.recordedBody(), StandardCharsets.UTF_8)).contains("\"mail ***\"").doesNotContain("a@b.io");
    }

    @Test
    void aStoredRegexOverTheLengthLimitFailsTheCheckInsteadOfCompilingOnTheLoop() {
        Future<Verdict> v = new PolicyEngine().evaluateAsync(regexPolicy("x".repeat(RegexRules.MAX_LENGTH + 1), "block"), chat("hello"));
        assertThat(v.failed()).isTrue();
        assertThat(((ScanAbortedException) v.cause()).finding()).isEqualTo("regex_unusable[0]");
    }
}
