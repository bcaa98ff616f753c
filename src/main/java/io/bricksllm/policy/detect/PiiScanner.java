package io.bricksllm.policy.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scans texts for a fixed set of entities with the local detectors. Entities that only a language
 * backend can find are not silently dropped: they are listed by {@link #unavailable()} for the caller
 * to report (or hand to the backend). Immutable and thread-safe; build one per policy and reuse it.
 */
public final class PiiScanner {

    /** Findings in text order: by start, then end, then entity. */
    static final Comparator<Finding> ORDER =
            Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end).thenComparing(Finding::entity);

    private static final Map<PiiEntity, LocalDetector> DETECTORS = new EnumMap<>(PiiEntity.class);

    static {
        for (LocalDetector d : List.of(
                new AwsAccessKeyDetector(), new AwsSecretKeyDetector(), new AbaRoutingDetector(), new CanadianSinDetector(),
                new CardCvvDetector(), new CardExpiryDetector(), new CardNumberDetector(), new DateTimeDetector(),
                new EmailDetector(), new AadhaarDetector(), new IndiaPanDetector(), new IbanDetector(),
                new IpAddressDetector(), new MacAddressDetector(), SecretValueDetector.password(), new PhoneDetector(),
                new PinDetector(), new UsSsnDetector(), new SwiftCodeDetector(), new NhsNumberDetector(),
                new UkNinoDetector(), new UkUtrDetector(), new UrlDetector(), new UsItinDetector(),
                SecretValueDetector.username(), new VinDetector())) {
            DETECTORS.put(d.entity(), d);
        }
        if (!DETECTORS.keySet().equals(PiiEntity.localEntities())) {
            throw new IllegalStateException("every local entity needs exactly one detector");
        }
    }

    private final List<LocalDetector> detectors;
    private final Set<PiiEntity> entities;
    private final Set<PiiEntity> unavailable;

    /** A scanner for these entities; {@link PiiEntity#ALL} stands for every local entity. */
    public PiiScanner(Collection<PiiEntity> requested) {
        EnumSet<PiiEntity> local = EnumSet.noneOf(PiiEntity.class);
        EnumSet<PiiEntity> backend = EnumSet.noneOf(PiiEntity.class);
        for (PiiEntity e : requested) {
            switch (e.detection()) {
                case LOCAL -> local.add(e);
                case EVERY_LOCAL -> local.addAll(PiiEntity.localEntities());
                case LANGUAGE_BACKEND -> backend.add(e);
            }
        }
        List<LocalDetector> ds = new ArrayList<>(local.size());
        for (PiiEntity e : local) ds.add(DETECTORS.get(e));
        this.detectors = List.copyOf(ds);
        this.entities = Collections.unmodifiableSet(local);
        this.unavailable = Collections.unmodifiableSet(backend);
    }

    /** A scanner for every local entity. */
    public static PiiScanner all() {
        return new PiiScanner(EnumSet.of(PiiEntity.ALL));
    }

    /** The detector of one local entity; empty for {@code all} and for backend-only entities. */
    public static Optional<Detector> detector(PiiEntity entity) {
        return Optional.ofNullable(DETECTORS.get(entity));
    }

    /** The local entities this scanner looks for. */
    public Set<PiiEntity> entities() {
        return entities;
    }

    /** Requested entities that need a language backend this scanner does not have. */
    public Set<PiiEntity> unavailable() {
        return unavailable;
    }

    /** True when there is nothing to scan for locally: {@link #scan} returns at once. */
    public boolean isEmpty() {
        return detectors.isEmpty();
    }

    /**
     * Every occurrence of the entities in {@code text}, in text order. Overlapping findings of one entity
     * are merged; findings of different entities may overlap.
     */
    public List<Finding> scan(String text) {
        return scan(text, ScanDeadline.NONE);
    }

    /** {@link #scan(String)} that gives up with {@link ScanAbortedException} once the deadline has passed. */
    public List<Finding> scan(String text, ScanDeadline deadline) {
        if (detectors.isEmpty() || text == null || text.isEmpty()) return List.of();
        ScanText t = new ScanText(text, deadline);
        List<Finding> out = new ArrayList<>();
        for (LocalDetector d : detectors) {
            deadline.check();
            d.find(t, out);
        }
        if (out.isEmpty()) return List.of();
        out.sort(ORDER);
        return Collections.unmodifiableList(mergeSameEntity(out));
    }

    private static List<Finding> mergeSameEntity(List<Finding> sorted) {
        int[] last = new int[PiiEntity.values().length];
        Arrays.fill(last, -1);
        List<Finding> merged = new ArrayList<>(sorted.size());
        for (Finding f : sorted) {
            int k = last[f.entity().ordinal()];
            if (k >= 0 && merged.get(k).end() > f.start()) {
                Finding prev = merged.get(k);
                if (f.end() > prev.end()) merged.set(k, new Finding(f.entity(), prev.start(), f.end()));
                continue;
            }
            last[f.entity().ordinal()] = merged.size();
            merged.add(f);
        }
        return merged;
    }
}
