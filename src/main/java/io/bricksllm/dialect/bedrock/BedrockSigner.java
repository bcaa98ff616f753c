package io.bricksllm.dialect.bedrock;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * SigV4 for Bedrock through the AWS SDK v2's {@link AwsV4HttpSigner} (no crypto of ours): the caller's
 * own HTTP client sends the request, this only says which headers to add. Signing hashes the body,
 * so it is CPU work proportional to the body size, not I/O. Thread-safe.
 */
public final class BedrockSigner {

    static final String SERVICE = "bedrock";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Clock clock;
    private final String service;

    /** @param clock the signing time's source (fixed in tests) */
    public BedrockSigner(Clock clock) {
        this(clock, SERVICE);
    }

    /** Another service name: only for checking the adapter against AWS's published SigV4 test vectors. */
    BedrockSigner(Clock clock, String service) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * The headers to add to the request (e.g. {@code Authorization}, {@code X-Amz-Date},
     * {@code X-Amz-Security-Token}, {@code Host} if absent), keyed as the SDK spells them.
     *
     * @param headers the headers that will be sent and must be signed (e.g. {@code Content-Type});
     *                the request must carry exactly these values
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body, String region,
            AwsCredentials credentials) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = credentials.sessionToken()
                .<AwsCredentialsIdentity>map(token -> AwsSessionCredentialsIdentity.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        SdkHttpRequest signed = signer.sign(r -> r.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
            if (!containsIgnoreCase(headers, header.getKey()) && !header.getValue().isEmpty()) {
                added.put(header.getKey(), header.getValue().getFirst());
            }
        }
        return added;
    }

    private static boolean containsIgnoreCase(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
    }
}
