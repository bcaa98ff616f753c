package io.bricksllm.policy;

import io.bricksllm.config.GatewayConfig;
import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.comprehend.ComprehendClientBuilder;
import software.amazon.awssdk.services.comprehend.model.DetectPiiEntitiesResponse;
import software.amazon.awssdk.services.comprehend.model.LanguageCode;

/**
 * The language backend on AWS Comprehend {@code DetectPiiEntities} (BEHAVIOUR.md §7.2): language {@code en}, one
 * call per text (a text over Comprehend's 100 KB limit is cut at whitespace into parts, one call each). The SDK's sync client runs on a pool of worker threads of its own, so the event loop never waits
 * and a slow Comprehend cannot starve the other blocking work (configuration reloads). Credentials come from the
 * standard AWS chain (environment, system properties, profile, container or instance role).
 */
public final class ComprehendLanguageBackend implements LanguageBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ComprehendLanguageBackend.class);
    /** Concurrent Comprehend calls; more wait in the pool's queue. */
    static final int WORKERS = 32;
    /** The most text one DetectPiiEntities call accepts: 100 KB of UTF-8. */
    static final int MAX_TEXT_BYTES = 100_000;

    private final ComprehendClient client;
    private final WorkerExecutor workers;
    private final AutoCloseable credentials;

    ComprehendLanguageBackend(Vertx vertx, ComprehendClient client, AutoCloseable credentials, Duration callTimeout) {
        this.client = client;
        this.credentials = credentials;
        // the SDK ends each call at callTimeout; the pool's blocked-thread warning only fires well past it
        this.workers = vertx.createSharedWorkerExecutor("bricksllm-comprehend", WORKERS,
                callTimeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
    }

    /**
     * A backend for AMAZON_REGION, AMAZON_COMPREHEND_ENDPOINT (when set) and AMAZON_REQUEST_TIMEOUT (each call,
     * retries included). Whether credentials can be found is checked in the background, for at most
     * AMAZON_CONNECTION_TIMEOUT, and only logged: start-up never waits for AWS.
     */
    public static ComprehendLanguageBackend create(Vertx vertx, GatewayConfig config) {
        Duration timeout = config.amazonRequestTimeout();
        Duration connect = config.amazonConnectionTimeout().compareTo(timeout) < 0 ? config.amazonConnectionTimeout() : timeout;
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        ComprehendClientBuilder builder = ComprehendClient.builder()
                .region(Region.of(config.amazonRegion()))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        config.amazonComprehendEndpoint().ifPresent(builder::endpointOverride);
        ComprehendLanguageBackend backend = new ComprehendLanguageBackend(vertx, builder.build(), credentials, timeout);
        String where = config.amazonComprehendEndpoint().map(Object::toString).orElse("region " + config.amazonRegion());
        backend.workers.executeBlocking(() -> credentials.resolveCredentials(), false)
                .timeout(config.amazonConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .onSuccess(c -> LOG.info("PII language backend: AWS Comprehend at {}", where))
                .onFailure(e -> LOG.warn("PII language backend: AWS Comprehend at {}, but no AWS credentials were found yet"
                        + " (every detection will fail until they are): {}", where, e.getMessage()));
        return backend;
    }

    @Override
    public Future<List<Finding>> detect(String text, Set<PiiEntity> wanted) {
        if (text.isEmpty() || wanted.isEmpty()) return Future.succeededFuture(List.of()); // Comprehend rejects empty texts
        if (text.length() <= MAX_TEXT_BYTES / 3) return call(text, wanted); // at most 3 UTF-8 bytes per char: fits
        List<int[]> parts = parts(text, MAX_TEXT_BYTES);
        if (parts.size() == 1) return call(text, wanted);
        // longer than one call may carry: one call per part, all at once, spans moved back into the whole text
        List<Future<List<Finding>>> calls = new ArrayList<>(parts.size());
        for (int[] part : parts) {
            calls.add(call(text.substring(part[0], part[1]), wanted).map(found -> found.stream()
                    .map(f -> new Finding(f.entity(), f.start() + part[0], f.end() + part[0])).toList()));
        }
        return Future.all(calls).map(all -> {
            List<Finding> out = new ArrayList<>();
            for (Future<List<Finding>> c : calls) out.addAll(c.result());
            return out;
        });
    }

    private Future<List<Finding>> call(String text, Set<PiiEntity> wanted) {
        return workers.executeBlocking(() -> findings(text, wanted,
                client.detectPiiEntities(r -> r.text(text).languageCode(LanguageCode.EN))), false);
    }

    /**
     * {@code [start, end)} ranges of the text, each at most {@code maxBytes} in UTF-8, cut after the last
     * whitespace that fits (an entity is not split unless a part has no whitespace at all), never inside a
     * surrogate pair. A text that fits is one range.
     */
    static List<int[]> parts(String text, int maxBytes) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int lastSpace = -1; // index just after the last whitespace of the current part
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                int cut = lastSpace > start ? lastSpace : i;
                out.add(new int[] {start, cut});
                start = cut;
                bytes = utf8Length(text, start, i);
                lastSpace = -1;
                continue;
            }
            bytes += n;
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp)) lastSpace = i;
        }
        out.add(new int[] {start, text.length()});
        return out;
    }

    private static int utf8Length(String text, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return bytes;
    }

    /**
     * The wanted entities of an answer, with Comprehend's offsets (Unicode code points) turned into String indexes.
     * An entity without a type or offsets, or with a span outside the text, makes the whole answer unusable: it fails.
     */
    static List<Finding> findings(String text, Set<PiiEntity> wanted, DetectPiiEntitiesResponse response) {
        Map<String, PiiEntity> byType = new java.util.HashMap<>();
        for (PiiEntity e : wanted) byType.put(e.comprehendType(), e);
        // no Entities at all is an answer with nothing in it, as for any AWS JSON list
        if (!response.hasEntities()) return List.of();
        int codePoints = text.codePointCount(0, text.length());
        boolean bmpOnly = codePoints == text.length();
        List<Finding> out = new ArrayList<>();
        for (var e : response.entities()) {
            if (e == null || e.typeAsString() == null || e.beginOffset() == null || e.endOffset() == null) {
                throw new IncompleteAnswer("an entity without a type or offsets");
            }
            int begin = e.beginOffset();
            int end = e.endOffset();
            if (begin < 0 || end <= begin || end > codePoints) {
                throw new IncompleteAnswer("an entity span [" + begin + ", " + end + ") outside a text of " + codePoints + " characters");
            }
            PiiEntity entity = byType.get(e.typeAsString());
            if (entity == null) continue;
            out.add(bmpOnly ? new Finding(entity, begin, end)
                    : new Finding(entity, text.offsetByCodePoints(0, begin), text.offsetByCodePoints(0, end)));
        }
        return out;
    }

    /** An answer that cannot be trusted to be complete. */
    static final class IncompleteAnswer extends RuntimeException {
        IncompleteAnswer(String what) {
            super("AWS Comprehend answered with " + what, null, false, false);
        }
    }

    @Override
    public void close() {
        workers.close();
        client.close();
        try {
            credentials.close();
        } catch (Exception e) {
            LOG.debug("AWS credentials provider did not close: {}", e.toString());
        }
    }
}
