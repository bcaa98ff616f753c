package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * openai-java's own retry honours the gateway's {@code Retry-After} on a concurrency 429 (issue 19.4): with the only
 * slot held by a slow request, the SDK is refused, waits what the header says — its own back-off would wait at most
 * half a second before the first retry — and succeeds once the slot is free. Attempts are timed as they reach the
 * gateway, by a recording front.
 */
class SdkRetryAfterE2ETest {
    @Test
    void theSdkWaitsRetryAfterBetweenAttemptsAndSucceedsWhenTheSlotIsFree() {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(1, Map.of(), Clock.systemUTC())) {
            SlowUpstream.install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String key = Setup.key(d.admin(), setting, "\"maxConcurrentRequests\":1")[0];
            d.awaitKey(key, null);
            try (RecordingFront front = new RecordingFront(d.instance(0).proxyUrl())) {
                OpenAIClient sdk = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(front.url() + "/api/providers/openai/v1")
                        .maxRetries(5).timeout(Duration.ofSeconds(30)).build();
                // the SDK's first call loads its classes: seconds on a loaded machine, longer than the slow request holds
                // its slot; made once straight to the gateway, so the recorded attempts are the retried call's alone
                OpenAIOkHttpClient.builder().apiKey(key).baseUrl(d.instance(0).proxyUrl() + "/api/providers/openai/v1").maxRetries(0)
                        .build().chat().completions().create(ChatCompletionCreateParams.builder().model(Setup.MODEL).addUserMessage("hi").build());
                CompletableFuture<Burst.Answer> holder = CompletableFuture.supplyAsync(
                        () -> new Burst(d.proxyUrls(), CHAT).one(0, key, Setup.chat("slow")));
                Poll.until(Duration.ofSeconds(5), "the slow request holds the slot", () -> upstream.inFlight() == 1);

                ChatCompletion done = sdk.chat().completions().create(
                        ChatCompletionCreateParams.builder().model(Setup.MODEL).addUserMessage("hi").build());

                assertThat(holder.join().status()).isEqualTo(200);
                assertThat(done.choices().get(0).message().content()).contains("ok");
                List<RecordingFront.Attempt> attempts = front.attempts();
                System.out.println("SDK attempts at the gateway: " + describe(attempts));
                assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
                assertThat(attempts.get(0).status()).isEqualTo(429);
                assertThat(attempts.get(attempts.size() - 1).status()).isEqualTo(200);
                for (int i = 1; i < attempts.size(); i++) {
                    RecordingFront.Attempt before = attempts.get(i - 1);
                    assertThat(before.status()).as("attempt %d", i - 1).isEqualTo(429);
                    assertThat(before.retryAfter()).as("Retry-After of attempt %d", i - 1).isNotNull();
                    long waitedMs = (attempts.get(i).arrivedNanos() - before.arrivedNanos()) / 1_000_000;
                    assertThat(waitedMs).as("attempt %d came %d ms after the previous one, told to wait %s s", i, waitedMs, before.retryAfter())
                            .isGreaterThanOrEqualTo(Long.parseLong(before.retryAfter().trim()) * 1000);
                    assertThat(attempts.get(i).retryCount()).isEqualTo(String.valueOf(i)); // the SDK's own retry, not a new call
                }
            }
        }
    }

    private static String describe(List<RecordingFront.Attempt> attempts) {
        StringBuilder b = new StringBuilder();
        long t0 = attempts.isEmpty() ? 0 : attempts.get(0).arrivedNanos();
        for (RecordingFront.Attempt a : attempts) {
            b.append(String.format("[+%d ms retry=%s → %d Retry-After=%s] ", (a.arrivedNanos() - t0) / 1_000_000, a.retryCount(),
                    a.status(), a.retryAfter()));
        }
        return b.toString();
    }
}
