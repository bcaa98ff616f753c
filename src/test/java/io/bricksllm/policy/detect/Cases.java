package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Table rows for detector tests: a sentence with each expected finding between « and », e.g.
 * {@code "mail «jo@example.com» today"}.
 */
final class Cases {

    private Cases() {
    }

    record Marked(String text, List<int[]> spans) {
    }

    static Marked parse(String marked) {
        StringBuilder text = new StringBuilder();
        List<int[]> spans = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == '«') {
                open = text.length();
            } else if (c == '»') {
                spans.add(new int[] {open, text.length()});
                open = -1;
            } else {
                text.append(c);
            }
        }
        return new Marked(text.toString(), spans);
    }

    /** The scanner for this entity alone finds exactly the marked spans, and so does its detector on its own. */
    static void assertFinds(PiiEntity entity, String marked) {
        Marked m = parse(marked);
        List<String> expected = m.spans().stream().map(s -> m.text().substring(s[0], s[1])).toList();
        assertThat(found(entity, m.text())).as("%s in: %s", entity.wireName(), m.text()).containsExactlyElementsOf(expected);
        List<Finding> direct = new ArrayList<>();
        PiiScanner.detector(entity).orElseThrow().find(m.text(), direct);
        assertThat(direct.stream().map(f -> m.text().substring(f.start(), f.end())).distinct().sorted().toList())
                .as("detector on its own").containsExactlyInAnyOrderElementsOf(expected.stream().distinct().toList());
    }

    static void assertNothing(PiiEntity entity, String text) {
        assertThat(found(entity, text)).as("%s in: %s", entity.wireName(), text).isEmpty();
    }

    static List<String> found(PiiEntity entity, String text) {
        List<Finding> findings = new PiiScanner(EnumSet.of(entity)).scan(text);
        for (Finding f : findings) assertThat(f.entity()).isEqualTo(entity);
        return findings.stream().map(f -> text.substring(f.start(), f.end())).toList();
    }
}
