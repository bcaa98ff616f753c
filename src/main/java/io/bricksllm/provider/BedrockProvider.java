package io.bricksllm.provider;

import io.bricksllm.dialect.bedrock.AwsCredentials;
import io.bricksllm.dialect.bedrock.BedrockPaths;
import io.bricksllm.dialect.bedrock.BedrockSigner;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS Bedrock runtime: {@code https://bedrock-runtime.<awsRegion>.amazonaws.com} or the setting's {@code url};
 * every request is signed with SigV4 by the AWS SDK's signer over its final method, URL, headers and body.
 */
public final class BedrockProvider implements Provider {
    /** Static AWS credentials and their region; a session token for temporary ones; {@code url} replaces the endpoint. */
    private static final SettingFields FIELDS = SettingFields.of(List.of("awsAccessKeyId", "awsSecretAccessKey", "awsRegion"),
            List.of("awsSessionToken", "url")).showing("awsRegion", "url");

    private final BedrockSigner signer;

    public BedrockProvider(BedrockSigner signer) {
        this.signer = signer;
    }

    @Override
    public String name() {
        return "bedrock";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/bedrock";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return URI.create(baseUrlText(setting));
    }

    @Override
    public String baseUrlText(ProviderSetting setting) {
        String url = setting.get("url");
        return url.isEmpty() ? BedrockPaths.defaultBaseUrl(setting.get("awsRegion")) : url;
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        throw new UnsupportedOperationException("bedrock requests are signed whole: use authorize");
    }

    @Override
    public void authorize(ProviderSetting setting, String method, String url, MultiMap headers, Buffer body) {
        Map<String, String> signed = new LinkedHashMap<>();
        headers.forEach(h -> signed.putIfAbsent(h.getKey(), h.getValue()));
        String token = setting.get("awsSessionToken");
        AwsCredentials credentials = new AwsCredentials(setting.get("awsAccessKeyId"), setting.get("awsSecretAccessKey"),
                token.isEmpty() ? Optional.empty() : Optional.of(token));
        signer.sign(method, URI.create(url), signed, body.getBytes(), setting.get("awsRegion"), credentials)
                .forEach(headers::set);
    }

    /** SigV4 needs the key pair and the region it signs for. */
    @Override
    public boolean credentialsMissing(ProviderSetting setting) {
        return setting.get("awsAccessKeyId").isBlank() || setting.get("awsSecretAccessKey").isBlank()
                || setting.get("awsRegion").isBlank();
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.BEDROCK;
    }

    @Override
    public SettingFields settingFields() {
        return FIELDS;
    }

    @Override
    public String priceProvider() {
        return "aws";
    }

    /**
     * AWS's table first; then Anthropic's, for the Claude models AWS no longer lists ({@code anthropic.claude-v2:1},
     * {@code anthropic.claude-instant-v1}), which Bedrock bills at Anthropic's list prices (BEHAVIOUR.md §9a.5).
     */
    @Override
    public List<String> priceProviders() {
        return List.of("aws", "anthropic");
    }
}
