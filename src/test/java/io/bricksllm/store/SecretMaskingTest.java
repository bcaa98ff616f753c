package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void maskedValueShowsAtMostAShortPrefix() {
        assertThat(SecretMasking.maskValue("")).isEmpty();
        assertThat(SecretMasking.maskValue(null)).isEmpty();
        assertThat(SecretMasking.maskValue("short-secret")).isEqualTo("****");
        assertThat(SecretMasking.maskValue("sk-proj-0123456789abcdef")).isEqualTo("sk-****");
    }

    @Test
    void onlyTheFieldsToShowAreInClear() {
        ProviderSetting s = new ProviderSetting("id", 1, 2, "whatever", Map.of("url", "https://u.example", "resourceName", "res",
                "awsRegion", "eu-west-1", "apikey", "sk-0123456789abcdefgh", "awsSecretAccessKey", "aws-secret-0123456789",
                "awsAccessKeyId", "AKIA0123456789ABCDEF", "organization", "org-0123456789abcdef"), "n", List.of("m"), null);
        ProviderSetting m = SecretMasking.mask(s, Set.of("url", "resourceName", "awsRegion"));
        assertThat(m.setting()).containsEntry("url", "https://u.example").containsEntry("resourceName", "res")
                .containsEntry("awsRegion", "eu-west-1").containsEntry("apikey", "sk-****")
                .containsEntry("awsSecretAccessKey", "aws****").containsEntry("awsAccessKeyId", "AKI****")
                .containsEntry("organization", "org****");
        assertThat(m).usingRecursiveComparison().ignoringFields("setting").isEqualTo(s);
    }

    @Test
    void aFieldNotListedIsMaskedWhateverItsName() {
        ProviderSetting s = new ProviderSetting("id", 1, 2, "acme", Map.of("url", "token-0123456789abcdef"), "", null, null);
        assertThat(SecretMasking.mask(s, Set.of()).setting()).containsEntry("url", "tok****");
    }
}
