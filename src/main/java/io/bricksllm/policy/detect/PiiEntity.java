package io.bricksllm.policy.detect;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every entity name a policy's {@code config.rules} may use (BEHAVIOUR.md §3.8), and whether it can be
 * found offline by a local detector or needs a language backend (AWS Comprehend).
 */
public enum PiiEntity {
    ADDRESS(Detection.LANGUAGE_BACKEND),
    AGE(Detection.LANGUAGE_BACKEND),
    /** Every local entity. */
    ALL(Detection.EVERY_LOCAL),
    AWS_ACCESS_KEY(Detection.LOCAL),
    AWS_SECRET_KEY(Detection.LOCAL),
    BANK_ACCOUNT_NUMBER(Detection.LANGUAGE_BACKEND),
    BANK_ROUTING(Detection.LOCAL),
    CA_HEALTH_NUMBER(Detection.LANGUAGE_BACKEND),
    CA_SOCIAL_INSURANCE_NUMBER(Detection.LOCAL),
    CREDIT_DEBIT_CVV(Detection.LOCAL),
    CREDIT_DEBIT_EXPIRY(Detection.LOCAL),
    CREDIT_DEBIT_NUMBER(Detection.LOCAL),
    DATE_TIME(Detection.LOCAL),
    DRIVER_ID(Detection.LANGUAGE_BACKEND),
    EMAIL(Detection.LOCAL),
    IN_AADHAAR(Detection.LOCAL),
    IN_NREGA(Detection.LANGUAGE_BACKEND),
    IN_PERMANENT_ACCOUNT_NUMBER(Detection.LOCAL),
    IN_VOTER_NUMBER(Detection.LANGUAGE_BACKEND),
    INTERNATIONAL_BANK_ACCOUNT_NUMBER(Detection.LOCAL),
    IP_ADDRESS(Detection.LOCAL),
    LICENSE_PLATE(Detection.LANGUAGE_BACKEND),
    MAC_ADDRESS(Detection.LOCAL),
    NAME(Detection.LANGUAGE_BACKEND),
    PASSPORT_NUMBER(Detection.LANGUAGE_BACKEND),
    PASSWORD(Detection.LOCAL),
    PHONE(Detection.LOCAL),
    PIN(Detection.LOCAL),
    SSN(Detection.LOCAL),
    SWIFT_CODE(Detection.LOCAL),
    UK_NATIONAL_HEALTH_SERVICE_NUMBER(Detection.LOCAL),
    UK_NATIONAL_INSURANCE_NUMBER(Detection.LOCAL),
    UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER(Detection.LOCAL),
    URL(Detection.LOCAL),
    US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER(Detection.LOCAL),
    USERNAME(Detection.LOCAL),
    VEHICLE_IDENTIFICATION_NUMBER(Detection.LOCAL);

    /** How an entity is found. */
    public enum Detection {
        /** By a local detector: a format plus a validator (checksum, ranges or a label), no network. */
        LOCAL,
        /** Only by a language backend (AWS Comprehend): no offline rule is sound enough. */
        LANGUAGE_BACKEND,
        /** {@code all}: stands for every local entity. */
        EVERY_LOCAL
    }

    private static final Set<PiiEntity> LOCAL;
    private static final Set<PiiEntity> BACKEND;

    static {
        EnumSet<PiiEntity> local = EnumSet.noneOf(PiiEntity.class);
        EnumSet<PiiEntity> backend = EnumSet.noneOf(PiiEntity.class);
        for (PiiEntity e : values()) {
            if (e.detection == Detection.LOCAL) local.add(e);
            if (e.detection == Detection.LANGUAGE_BACKEND) backend.add(e);
        }
        LOCAL = Collections.unmodifiableSet(local);
        BACKEND = Collections.unmodifiableSet(backend);
    }

    private final Detection detection;
    private final String wireName;

    PiiEntity(Detection detection) {
        this.detection = detection;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name used as a key of {@code config.rules}, e.g. {@code credit_debit_number}. */
    public String wireName() {
        return wireName;
    }

    /** The AWS Comprehend entity type (upper-case wire name), e.g. {@code CREDIT_DEBIT_NUMBER}. */
    public String comprehendType() {
        return name();
    }

    public Detection detection() {
        return detection;
    }

    public boolean isLocal() {
        return detection == Detection.LOCAL;
    }

    public boolean needsLanguageBackend() {
        return detection == Detection.LANGUAGE_BACKEND;
    }

    /** The entity with this wire name (exact, lower-case), if any. */
    public static Optional<PiiEntity> fromWire(String wireName) {
        if (wireName == null) return Optional.empty();
        for (PiiEntity e : values()) if (e.wireName.equals(wireName)) return Optional.of(e);
        return Optional.empty();
    }

    /** Every entity a local detector finds (what {@code all} stands for); unmodifiable. */
    public static Set<PiiEntity> localEntities() {
        return LOCAL;
    }

    /** Every entity only a language backend finds; unmodifiable. */
    public static Set<PiiEntity> backendEntities() {
        return BACKEND;
    }
}
