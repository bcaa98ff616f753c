package io.bricksllm.policy;

import io.vertx.core.Future;
import java.util.List;

/** Decides whether texts contain content a natural-language rule describes (an LLM call). Never blocks. */
public interface CustomRuleJudge {
    /** True when any text contains content described by any of the definitions. */
    Future<Boolean> contains(List<String> texts, List<String> definitions);

    /** What to do when the judge cannot answer: block (closed) or let the request through (open). */
    enum FailureMode { OPEN, CLOSED }
}
