package io.bricksllm.policy;

import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * Finds the entities that need language understanding (name, address, age, …; {@link PiiEntity#needsLanguageBackend()})
 * in one text — a remote service such as AWS Comprehend. Never blocks the caller: the future completes on the
 * caller's Vert.x context.
 */
public interface LanguageBackend extends AutoCloseable {

    /**
     * The findings of the wanted entities in {@code text}, spans as {@link String} indexes ({@code [start, end)}).
     * Fails — rather than answering with fewer findings — on any error, timeout or incomplete answer.
     */
    Future<List<Finding>> detect(String text, Set<PiiEntity> wanted);

    /** Releases connections and threads; detections still running fail. */
    @Override
    default void close() {
    }
}
