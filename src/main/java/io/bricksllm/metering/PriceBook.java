package io.bricksllm.metering;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Model prices: the bundled genai-prices dataset, optionally overridden by a file in the same
 * format, with a small legacy supplement for models the dataset dropped (DECISIONS.md "price
 * updates": prices are data, not code).
 *
 * <p>Immutable: to pick up a changed override file, load a new book and swap it in. Loading reads
 * files and must run off the event loop; {@link #find} is cheap and safe from any thread (results
 * are memoised per provider and model).
 */
public final class PriceBook {

    static final String BUNDLED = "/prices/genai-prices.json";
    static final String LEGACY = "/prices/legacy.json";

    /** Bounds the memo so that callers inventing model names cannot grow it without limit. */
    private static final int MAX_MEMOISED = 10_000;

    /** No real model name is longer; a longer one is a caller's junk and is not worth matching. */
    static final int MAX_MODEL_NAME = 256;

    private final Map<String, List<PricedModel>> modelsByProvider;
    private final Map<String, List<String>> fallbacksByProvider;
    private final Function<String, List<String>> priceChain;
    private final AudioPrices audio;
    private final Clock clock;
    private final Map<String, Optional<PricedModel>> memo = new ConcurrentHashMap<>();

    /**
     * @param layers     price data, highest precedence first; a provider's models are tried layer by layer
     * @param priceChain for the id a caller prices under, the price-book ids to try in order (the providers know:
     *                   {@code Providers::priceChain}); the data's fallback providers of each are tried after them
     */
    PriceBook(List<List<PriceProvider>> layers, Function<String, List<String>> priceChain, AudioPrices audio, Clock clock) {
        Map<String, List<PricedModel>> models = new LinkedHashMap<>();
        Map<String, Set<String>> fallbacks = new LinkedHashMap<>();
        for (List<PriceProvider> layer : layers) {
            for (PriceProvider provider : layer) {
                models.computeIfAbsent(provider.id(), id -> new ArrayList<>()).addAll(provider.models());
                fallbacks.computeIfAbsent(provider.id(), id -> new LinkedHashSet<>()).addAll(provider.fallbackProviders());
            }
        }
        this.modelsByProvider = copyOfLists(models);
        this.fallbacksByProvider = copyOfLists(fallbacks);
        this.priceChain = priceChain;
        this.audio = audio;
        this.clock = clock;
    }

    /** The bundled prices, overridden by {@code overrideFile} when given. Blocking I/O. */
    public static PriceBook load(Optional<Path> overrideFile) {
        return load(overrideFile, Clock.systemUTC());
    }

    /**
     * As {@link #load(Optional)}, with the clock that decides which dated prices are in force. Each id is priced
     * under itself and the data's fallback providers only (Azure's table falls back to OpenAI's there).
     */
    public static PriceBook load(Optional<Path> overrideFile, Clock clock) {
        return load(overrideFile, clock, List::of);
    }

    /** As {@link #load(Optional, Clock)}; {@code priceChain}: see {@link #PriceBook}. */
    public static PriceBook load(Optional<Path> overrideFile, Clock clock, Function<String, List<String>> priceChain) {
        PriceData data = new PriceData();
        List<List<PriceProvider>> layers = new ArrayList<>();
        overrideFile.ifPresent(path -> layers.add(readFile(data, path)));
        layers.add(readResource(data, BUNDLED));
        layers.add(readResource(data, LEGACY));
        return new PriceBook(layers, priceChain, AudioPrices.defaults(), clock);
    }

    /**
     * The prices in force now for {@code model} priced under {@code provider}: a provider's price-book id (openai,
     * azure, anthropic, aws, google, x-ai, …) or, with a price chain from the providers, its gateway name (xai,
     * bedrock, gemini). vLLM and Deepinfra chat have none unless an override file adds them (their cost comes from
     * cost maps).
     */
    public Optional<ModelPrice> find(String provider, String model) {
        if (provider == null || model == null || model.isBlank() || model.length() > MAX_MODEL_NAME) {
            return Optional.empty();
        }
        String key = provider + '\u0000' + model;
        Optional<PricedModel> entry = memo.get(key);
        if (entry == null) {
            entry = resolve(provider.toLowerCase(Locale.ROOT), model);
            if (memo.size() < MAX_MEMOISED) {
                memo.putIfAbsent(key, entry);
            }
        }
        return entry.map(e -> e.pricesAt(clock.instant()));
    }

    /**
     * The context window (prompt and output together, in tokens) of the price entry {@link #find} uses for
     * {@code model}, when the data gives one.
     */
    public OptionalLong contextWindow(String provider, String model) {
        if (provider == null || model == null || model.isBlank() || model.length() > MAX_MODEL_NAME) return OptionalLong.empty();
        find(provider, model); // memoises the entry
        Optional<PricedModel> entry = memo.get(provider + '\u0000' + model);
        if (entry == null) entry = resolve(provider.toLowerCase(Locale.ROOT), model); // the memo was full
        return entry.filter(e -> e.contextWindow() > 0).map(e -> OptionalLong.of(e.contextWindow())).orElse(OptionalLong.empty());
    }

    /** USD per minute of transcribed audio (whisper-1). */
    public Optional<BigDecimal> perMinute(String model) {
        return audio.perMinute(model);
    }

    /** The ids of the models the price data lists for {@code priceProvider} itself (no fallbacks), sorted. */
    public List<String> modelIds(String priceProvider) {
        return modelsByProvider.getOrDefault(priceProvider, List.of()).stream().map(PricedModel::id).distinct().sorted().toList();
    }

    /** USD per million characters of synthesised speech (tts-1, tts-1-hd). */
    public Optional<BigDecimal> perMillionChars(String model) {
        return audio.perMillionChars(model);
    }

    /**
     * Tries every candidate name against the whole provider chain before moving to a less specific
     * name, so Azure's "gpt-4o-2024-08-06" finds OpenAI's exact entry rather than a shortened name.
     */
    private Optional<PricedModel> resolve(String provider, String model) {
        List<String> chain = providerChain(provider);
        for (String name : ModelNames.candidates(model)) {
            for (String priceProvider : chain) {
                for (PricedModel entry : modelsByProvider.getOrDefault(priceProvider, List.of())) {
                    if (entry.match().matches(name)) {
                        return Optional.of(entry);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The provider's price-book ids, then the providers whose prices the data says they reuse. */
    private List<String> providerChain(String provider) {
        Set<String> chain = new LinkedHashSet<>(priceChain.apply(provider));
        for (String p : List.copyOf(chain)) {
            chain.addAll(fallbacksByProvider.getOrDefault(p, List.of()));
        }
        return List.copyOf(chain);
    }

    private static List<PriceProvider> readFile(PriceData data, Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return data.read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price file " + path, e);
        }
    }

    private static List<PriceProvider> readResource(PriceData data, String resource) {
        try (InputStream in = PriceBook.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("price resource " + resource + " is missing from the jar");
            }
            return data.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price resource " + resource, e);
        }
    }

    private static <T> Map<String, List<T>> copyOfLists(Map<String, ? extends java.util.Collection<T>> map) {
        Map<String, List<T>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }
}
