package io.bricksllm.proxy;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Templates with Google-style custom methods ({@code :model:generateContent}) beside plain parameters and literals. */
class EndpointCatalogueTest {
    static final EndpointCatalogue CATALOGUE = new EndpointCatalogue(ProviderEndpoints.all());

    static Optional<String> template(io.vertx.core.http.HttpMethod method, String path) {
        return CATALOGUE.match(method, path).map(Endpoint::template);
    }

    static Optional<Operation> operation(String path) {
        return CATALOGUE.match(POST, path).map(Endpoint::operation);
    }

    @Test
    void aGeminiCustomMethodPicksItsOwnEntryAndOperation() {
        String models = "/api/providers/gemini/v1beta/models/";
        assertThat(operation(models + "gemini-2.5-flash:generateContent")).contains(Operation.CHAT);
        assertThat(operation(models + "gemini-2.5-flash:streamGenerateContent")).contains(Operation.CHAT);
        assertThat(operation(models + "gemini-embedding-001:embedContent")).contains(Operation.EMBEDDINGS);
        assertThat(operation("/api/providers/gemini/v1/models/gemini-embedding-001:batchEmbedContents")).contains(Operation.EMBEDDINGS);
        assertThat(operation(models + "gemini-2.5-flash:countTokens")).contains(Operation.PASS_THROUGH);
        assertThat(template(POST, models + "gemini-2.5-flash:streamGenerateContent"))
                .contains("/api/providers/gemini/v1beta/models/:model:streamGenerateContent");
    }

    @Test
    void aSuffixNeedsSomethingBeforeItAndAnUnknownMethodMatchesNothing() {
        String models = "/api/providers/gemini/v1beta/models/";
        assertThat(template(POST, models + ":generateContent")).isEmpty();
        assertThat(template(POST, models + "gemini-2.5-flash:deleteEverything")).isEmpty();
        assertThat(template(POST, models + "gemini-2.5-flash")).isEmpty();
        assertThat(template(POST, models + "gemini-2.5-flashgenerateContent")).isEmpty();
    }

    @Test
    void modelListingAndOneModelAreReadOnlyPassThroughs() {
        assertThat(template(GET, "/api/providers/gemini/v1beta/models")).contains("/api/providers/gemini/v1beta/models");
        assertThat(template(GET, "/api/providers/gemini/v1/models/gemini-2.5-flash")).contains("/api/providers/gemini/v1/models/:model");
        assertThat(CATALOGUE.match(GET, "/api/providers/gemini/v1/models/gemini-2.5-flash").orElseThrow().operation())
                .isEqualTo(Operation.PASS_THROUGH);
    }

    @Test
    void plainParametersAndLiteralsMatchAsBefore() {
        assertThat(template(POST, "/api/providers/azure/openai/deployments/my-gpt/chat/completions"))
                .contains("/api/providers/azure/openai/deployments/:deployment_id/chat/completions");
        assertThat(template(POST, "/api/providers/azure/openai/deployments//chat/completions")).isEmpty();
        assertThat(template(POST, "/api/providers/anthropic/v1/messages")).contains("/api/providers/anthropic/v1/messages");
    }
}
