package io.bricksllm.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of provider adapters by name. */
public final class Providers {
    private final Map<String, Provider> byName;

    public Providers(List<Provider> providers) {
        this.byName = providers.stream().collect(Collectors.toUnmodifiableMap(Provider::name, Function.identity()));
    }

    public static Providers defaults() {
        List<Provider> all = new ArrayList<>(List.of(BearerProvider.openAi(), new AnthropicProvider(), new AzureProvider(),
                new VllmProvider()));
        OpenAiCompatible.ALL.forEach(p -> all.add(p.adapter()));
        return new Providers(all);
    }

    public Optional<Provider> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
