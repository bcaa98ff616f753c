package io.bricksllm.policy.detect;

import java.util.List;

/** Base of the offline detectors: each works on a shared {@link ScanText} when run by {@link PiiScanner}. */
abstract class LocalDetector implements Detector {

    private final PiiEntity entity;

    LocalDetector(PiiEntity entity) {
        this.entity = entity;
    }

    @Override
    public final PiiEntity entity() {
        return entity;
    }

    @Override
    public final void find(String text, List<Finding> out) {
        if (!text.isEmpty()) find(new ScanText(text), out);
    }

    abstract void find(ScanText t, List<Finding> out);

    final void add(List<Finding> out, int start, int end) {
        out.add(new Finding(entity, start, end));
    }

    /** Sorts the findings added since {@code from} and keeps the first of those with the same start. */
    static void sortOnePerStart(List<Finding> out, int from) {
        if (out.size() - from < 2) return;
        List<Finding> mine = out.subList(from, out.size());
        mine.sort(PiiScanner.ORDER);
        int kept = 1;
        for (int k = 1; k < mine.size(); k++) {
            if (mine.get(k).start() != mine.get(kept - 1).start()) mine.set(kept++, mine.get(k));
        }
        mine.subList(kept, mine.size()).clear();
    }
}
