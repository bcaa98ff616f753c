package io.bricksllm.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of provider adapters by name. */
public final class Providers {
    private final Map<String, Provider> byName;
    /** By gateway name and by price-book id: the price-book ids to try, in order. */
    private final Map<String, List<String>> priceChains;

    public Providers(List<Provider> providers) {
        this.byName = providers.stream().collect(Collectors.toUnmodifiableMap(Provider::name, Function.identity()));
        Map<String, List<String>> chains = new HashMap<>();
        for (Provider p : providers) {
            chains.putIfAbsent(p.name(), p.priceProviders());
            chains.putIfAbsent(p.priceProvider(), p.priceProviders());
        }
        this.priceChains = Map.copyOf(chains);
    }

    public static Providers defaults() {
        return defaults(java.time.Clock.systemUTC());
    }

    /** {@code clock}: the signing time of Bedrock requests. */
    public static Providers defaults(java.time.Clock clock) {
        List<Provider> all = new ArrayList<>(List.of(BearerProvider.openAi(), new AnthropicProvider(), new AzureProvider(),
                new VllmProvider(), new GeminiProvider(), new BedrockProvider(new io.bricksllm.dialect.bedrock.BedrockSigner(clock))));
        OpenAiCompatible.ALL.forEach(p -> all.add(p.adapter()));
        return new Providers(all);
    }

    /** Every built-in provider's name, sorted (the known prefixes of the unified endpoint). */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    public Optional<Provider> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The price-book ids to try for models priced under {@code id}: a built-in provider's {@link Provider#priceProviders}
     * whether {@code id} is its gateway name ({@code xai}, {@code bedrock}) or its price-book id ({@code x-ai},
     * {@code aws}); any other id (a custom provider, an override file's own) alone.
     */
    public List<String> priceChain(String id) {
        List<String> chain = priceChains.get(id);
        return chain != null ? chain : List.of(id);
    }
}
