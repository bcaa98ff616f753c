package io.bricksllm.policy.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiEntityTest {

    /** BEHAVIOUR.md §3.8, verbatim. */
    private static final List<String> SPEC_NAMES = List.of(
            "address", "age", "all", "aws_access_key", "aws_secret_key", "bank_account_number", "bank_routing",
            "ca_health_number", "ca_social_insurance_number", "credit_debit_cvv", "credit_debit_expiry",
            "credit_debit_number", "date_time", "driver_id", "email", "in_aadhaar", "in_nrega",
            "in_permanent_account_number", "in_voter_number", "international_bank_account_number", "ip_address",
            "license_plate", "mac_address", "name", "passport_number", "password", "phone", "pin", "ssn", "swift_code",
            "uk_national_health_service_number", "uk_national_insurance_number", "uk_unique_taxpayer_reference_number",
            "url", "us_individual_tax_identification_number", "username", "vehicle_identification_number");

    @Test
    void coversExactlyTheEntityNamesOfTheSpecification() {
        assertThat(Arrays.stream(PiiEntity.values()).map(PiiEntity::wireName)).containsExactlyInAnyOrderElementsOf(SPEC_NAMES);
        for (String name : SPEC_NAMES) assertThat(PiiEntity.fromWire(name)).map(PiiEntity::wireName).contains(name);
    }

    @Test
    void rejectsUnknownOrDifferentlyCasedNames() {
        assertThat(PiiEntity.fromWire("EMAIL")).isEmpty();
        assertThat(PiiEntity.fromWire("e-mail")).isEmpty();
        assertThat(PiiEntity.fromWire(null)).isEmpty();
    }

    @Test
    void everyEntityIsLocalOrBackendExceptAll() {
        for (PiiEntity e : PiiEntity.values()) {
            if (e == PiiEntity.ALL) {
                assertThat(e.isLocal() || e.needsLanguageBackend()).isFalse();
            } else {
                assertThat(e.isLocal()).isNotEqualTo(e.needsLanguageBackend());
            }
        }
        assertThat(PiiEntity.backendEntities()).containsExactlyInAnyOrder(
                PiiEntity.ADDRESS, PiiEntity.AGE, PiiEntity.BANK_ACCOUNT_NUMBER, PiiEntity.CA_HEALTH_NUMBER,
                PiiEntity.DRIVER_ID, PiiEntity.IN_NREGA, PiiEntity.IN_VOTER_NUMBER, PiiEntity.LICENSE_PLATE,
                PiiEntity.NAME, PiiEntity.PASSPORT_NUMBER);
    }

    @Test
    void everyLocalEntityHasADetectorAndNoOtherDoes() {
        for (PiiEntity e : PiiEntity.values()) {
            assertThat(PiiScanner.detector(e).isPresent()).as(e.wireName()).isEqualTo(e.isLocal());
        }
    }

    @Test
    void comprehendTypeIsTheUpperCaseWireName() {
        assertThat(PiiEntity.CREDIT_DEBIT_NUMBER.comprehendType()).isEqualTo("CREDIT_DEBIT_NUMBER");
    }
}
