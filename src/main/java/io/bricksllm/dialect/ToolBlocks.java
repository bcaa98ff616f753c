package io.bricksllm.dialect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each open content block of an upstream stream is, for dialects that number blocks (Anthropic, Bedrock):
 * plain (text, thinking), a tool call — numbered 0, 1, … in the order calls start, whatever the block numbering —
 * or the answer tool, whose input JSON is the answer itself and streams as text. One per stream; not thread-safe.
 */
public final class ToolBlocks {
    private static final int PLAIN = -2;
    private static final int ANSWER = -1;

    private final Optional<String> answerTool;
    private final Map<Integer, Integer> blocks = new HashMap<>(); // block index → tool call index, PLAIN or ANSWER
    private int toolCalls;
    private boolean answeredByTool;

    /** @param answerTool the forced tool whose input is the answer (a JSON answer encoded as a tool), if any */
    public ToolBlocks(Optional<String> answerTool) {
        this.answerTool = answerTool;
    }

    public void startPlain(int block) {
        blocks.put(block, PLAIN);
    }

    /** A tool block opens: a call start goes out, unless it is the answer tool. */
    public void startTool(int block, String id, String name, List<StreamEvent> out) {
        if (answerTool.isPresent() && answerTool.get().equals(name)) {
            answeredByTool = true;
            blocks.put(block, ANSWER);
        } else {
            int call = toolCalls++;
            blocks.put(block, call);
            out.add(new StreamEvent.ToolCallStart(call, id, name));
        }
    }

    public boolean isOpen(int block) {
        return blocks.containsKey(block);
    }

    /** Input JSON for a block: its call's argument delta, answer text for the answer tool, nothing otherwise. */
    public void input(int block, String partial, List<StreamEvent> out) {
        Integer kind = blocks.get(block);
        if (kind == null || kind == PLAIN || partial.isEmpty()) {
            return;
        }
        out.add(kind == ANSWER ? new StreamEvent.TextDelta(partial) : new StreamEvent.ToolCallArgumentsDelta(kind, partial));
    }

    /** The answer came as the answer tool's input: the finish reason is "stop", not "tool_calls". */
    public boolean answeredByTool() {
        return answeredByTool;
    }
}
