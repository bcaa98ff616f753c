package io.bricksllm.dialect.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SigV4 adapter over the AWS SDK's signer: AWS's published vector, determinism, scope and token. */
class BedrockSignerTest {

    private static final Clock VECTOR_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    private static final AwsCredentials VECTOR_KEYS = new AwsCredentials("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Optional.empty());

    /**
     * AWS's published get-vanilla vector, signed with the header set the SDK's signer uses (it also
     * signs {@code x-amz-content-sha256}): checked against the SDK's older, independent {@code Aws4Signer},
     * which on its own reproduces the published signature.
     */
    @Test
    @SuppressWarnings("deprecation")
    void agreesWithTheOlderSdkSignerOnAwsPublishedGetVanillaVector() {
        var legacy = software.amazon.awssdk.auth.signer.Aws4Signer.create();
        var params = software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
                .awsCredentials(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        VECTOR_KEYS.accessKeyId(), VECTOR_KEYS.secretAccessKey()))
                .signingName("service").signingRegion(software.amazon.awssdk.regions.Region.US_EAST_1)
                .signingClockOverride(VECTOR_TIME).build();
        var vanilla = software.amazon.awssdk.http.SdkHttpFullRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.GET).uri(URI.create("https://example.amazonaws.com/"));
        assertThat(legacy.sign(vanilla.build(), params).firstMatchingHeader("Authorization")).hasValue(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");

        Map<String, String> added = new BedrockSigner(VECTOR_TIME, "service").sign("GET",
                URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0], "us-east-1", VECTOR_KEYS);

        assertThat(added).containsEntry("X-Amz-Date", "20150830T123600Z");
        String emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(added).containsEntry("x-amz-content-sha256", emptySha256);
        String expected = legacy.sign(vanilla.putHeader("x-amz-content-sha256", emptySha256).build(), params)
                .firstMatchingHeader("Authorization").orElseThrow();
        assertThat(added.get("Authorization")).isEqualTo(expected)
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date, ");
    }

    @Test
    void signsAConverseRequestDeterministicallyForBedrockInTheSettingsRegion() {
        BedrockSigner signer = new BedrockSigner(VECTOR_TIME);
        URI uri = URI.create("https://bedrock-runtime.eu-west-1.amazonaws.com"
                + BedrockPaths.converse("anthropic.claude-3-5-sonnet-20240620-v1:0"));
        byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json");

        Map<String, String> first = signer.sign("POST", uri, headers, body, "eu-west-1", VECTOR_KEYS);
        Map<String, String> second = signer.sign("POST", uri, headers, body, "eu-west-1", VECTOR_KEYS);

        assertThat(first).isEqualTo(second);
        assertThat(first.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request, ")
                .contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, ");
        assertThat(first).doesNotContainKey("Content-Type").doesNotContainKey("X-Amz-Security-Token");
        byte[] otherBody = "{\"messages\":[1]}".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.sign("POST", uri, headers, otherBody, "eu-west-1", VECTOR_KEYS).get("Authorization"))
                .as("the body is signed").isNotEqualTo(first.get("Authorization"));
    }

    @Test
    void aSessionTokenIsSentAndSigned() {
        AwsCredentials temporary = new AwsCredentials("ASIAEXAMPLE", "s3cr3t-value", Optional.of("token-123"));
        Map<String, String> added = new BedrockSigner(VECTOR_TIME).sign("POST",
                URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse"), Map.of(),
                new byte[0], "us-east-1", temporary);

        assertThat(added).containsEntry("X-Amz-Security-Token", "token-123");
        assertThat(added.get("Authorization")).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, ");
        assertThat(temporary.toString()).doesNotContain("s3cr3t-value").doesNotContain("token-123");
    }
}
