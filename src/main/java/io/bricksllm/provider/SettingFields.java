package io.bricksllm.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a provider setting may hold (DESIGN.md §4b): those it must have, every one it accepts, and those that are
 * no secret. Any other field is refused, so a typo ({@code api} for {@code apikey}) is a 400 instead of a stored value
 * nothing reads; every accepted field not listed as shown is a credential and is masked on every read.
 *
 * @param required    fields that must be non-blank, in the order a refusal names them
 * @param accepted    every field the setting may hold (the required ones included)
 * @param shown       fields shown in clear by the admin API (a URL, a region, a resource name, an API version)
 * @param notNeededWith a required field that may be left out when another one is given (Azure: {@code resourceName}
 *                    when {@code url} names the endpoint)
 */
public record SettingFields(List<String> required, Set<String> accepted, Set<String> shown, Map<String, String> notNeededWith) {

    public SettingFields {
        required = List.copyOf(required);
        accepted = Set.copyOf(accepted);
        shown = Set.copyOf(shown);
        notNeededWith = Map.copyOf(notNeededWith);
    }

    /** {@code required} fields, then {@code optional} ones; none shown. */
    public static SettingFields of(List<String> required, List<String> optional) {
        Set<String> accepted = new LinkedHashSet<>(required);
        accepted.addAll(optional);
        return new SettingFields(required, accepted, Set.of(), Map.of());
    }

    /** An OpenAI-style API: {@code apikey} (required or not) and an optional {@code url}, the only field shown. */
    public static SettingFields apikeyAndUrl(boolean apikeyRequired) {
        return apikeyRequired ? of(List.of("apikey"), List.of("url")).showing("url") : of(List.of(), List.of("apikey", "url")).showing("url");
    }

    /**
     * A custom provider's one credential: its authentication parameter (required), or an optional {@code apikey} when it
     * names none. Nothing is shown, whatever the parameter is called.
     */
    public static SettingFields custom(String authParam) {
        return authParam.isEmpty() ? of(List.of(), List.of("apikey")) : of(List.of(authParam), List.of());
    }

    /** The same fields, these shown in clear too. */
    public SettingFields showing(String... fields) {
        Set<String> more = new HashSet<>(shown);
        more.addAll(List.of(fields));
        return new SettingFields(required, accepted, more, notNeededWith);
    }

    /** The same fields, {@code field} no longer required when {@code alternative} is given. */
    public SettingFields unlessGiven(String field, String alternative) {
        Map<String, String> more = new HashMap<>(notNeededWith);
        more.put(field, alternative);
        return new SettingFields(required, accepted, shown, more);
    }

    /** The required fields {@code setting} lacks (blank counts as absent), in the order of {@link #required}. */
    public List<String> missing(Map<String, String> setting) {
        List<String> missing = new ArrayList<>();
        for (String field : required) {
            String alternative = notNeededWith.get(field);
            if (alternative != null && !blank(setting.get(alternative))) continue;
            if (blank(setting.get(field))) missing.add(field);
        }
        return missing;
    }

    /** The fields of {@code setting} this provider does not accept, sorted. */
    public List<String> unknown(Map<String, String> setting) {
        return setting.keySet().stream().filter(f -> !accepted.contains(f)).sorted().toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
