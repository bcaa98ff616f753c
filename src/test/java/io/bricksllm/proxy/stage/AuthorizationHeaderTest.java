package io.bricksllm.proxy.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizationHeaderTest {
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "Bearer sk-123|sk-123",
            "bearer   sk-123  |sk-123",
            "  Bearer\tsk-123|sk-123",
            "Basic a b|a b",
            "Bearer|NULL",
            "Bearer   |NULL",
            "sk-123|NULL",
            "''|NULL",
            "NULL|NULL"})
    void theSecretIsWhatFollowsTheScheme(String header, String secret) {
        assertThat(AuthenticateStage.fromAuthorization(header)).isEqualTo(secret);
    }
}
