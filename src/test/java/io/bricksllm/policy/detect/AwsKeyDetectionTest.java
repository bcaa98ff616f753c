package io.bricksllm.policy.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsKeyDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "access key «AKIAIOSFODNN7EXAMPLE»",
        "AWS_ACCESS_KEY_ID=«AKIAIOSFODNN7EXAMPLE»",
        "temporary «ASIAY34FZKBOKMUTVV7A», done",
        "{\"AccessKeyId\":\"«AKIA2E0A8F3B244C9986»\"}",
    })
    void findsAccessKeyIds(String marked) {
        Cases.assertFinds(PiiEntity.AWS_ACCESS_KEY, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "too short AKIAIOSFODNN7EXAMPL",
        "too long AKIAIOSFODNN7EXAMPLEX",
        "lower case akiaiosfodnn7example",
        "glued XAKIAIOSFODNN7EXAMPLE",
        "other prefix AIDAIOSFODNN7EXAMPLE",
    })
    void ignoresAccessKeyLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.AWS_ACCESS_KEY, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "aws_secret_access_key = «wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY»",
        "{\"SecretAccessKey\": \"«je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY»\"}",
        "AWS secret: «wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY»",
        "my aws credentials are AKIAIOSFODNN7EXAMPLE and «wJalrXUtnFEMI+K7MDENG+bPxRfiCYEXAMPLEKEY»",
    })
    void findsSecretKeysAfterALabel(String marked) {
        Cases.assertFinds(PiiEntity.AWS_SECRET_KEY, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "unlabelled wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token",
        "secret commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "secret 41 chars wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX",
        "aws secret is wjalrxutnfemi/k7mdeng/bpxrficyexamplekey (one case)",
    })
    void ignoresFortyCharacterTokensWithoutALabelOrMix(String text) {
        Cases.assertNothing(PiiEntity.AWS_SECRET_KEY, text);
    }

    @Test
    void ignoresATokenFarFromTheLabel() {
        Cases.assertNothing(PiiEntity.AWS_SECRET_KEY, "aws " + "word ".repeat(40) + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }
}
