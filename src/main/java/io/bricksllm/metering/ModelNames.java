package io.bricksllm.metering;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names under which a requested model may be priced, most specific first. Callers send names
 * the price data does not list verbatim: a new date snapshot ("gpt-4o-2025-01-31"), a fine-tune
 * ("ft:gpt-4.1-mini-2025-04-14:org::id"), an Azure spelling ("gpt-35-turbo-1106"), a Bedrock id
 * ("us.anthropic.claude-3-5-sonnet-20240620-v1:0") or odd casing ("BAAI/bge-base-en-v1.5"). The
 * verbatim name always comes first so an exact price entry (e.g. a fine-tune price) wins over
 * the base model's.
 */
final class ModelNames {

    /** A trailing snapshot date or version: -2024-08-06, -20241022, @20240620, -0613, -v1:0, :0. */
    private static final Pattern VERSION_SUFFIX =
            Pattern.compile("(?:[-@]\\d{4}-\\d{2}-\\d{2}|[-@]\\d{8}|-\\d{4}|-v\\d+(?::\\d+)?|:\\d+)$");

    private static final String BEDROCK_VENDOR = "anthropic.";

    private ModelNames() {
    }

    static List<String> candidates(String model) {
        Set<String> names = new LinkedHashSet<>();
        names.add(model);
        names.add(model.toLowerCase(Locale.ROOT));
        for (String name : List.copyOf(names)) {
            int vendor = name.indexOf(BEDROCK_VENDOR);
            if (vendor >= 0) {
                names.add(name.substring(vendor + BEDROCK_VENDOR.length()));
            }
            if (name.startsWith("ft:")) {
                String rest = name.substring(3);
                int colon = rest.indexOf(':');
                names.add(colon < 0 ? rest : rest.substring(0, colon));
            }
        }
        for (String name : List.copyOf(names)) {
            if (name.contains("gpt-35")) {
                names.add(name.replace("gpt-35", "gpt-3.5"));
            }
        }
        List<String> undated = new ArrayList<>();
        for (String name : names) {
            String stripped = name;
            for (String shorter = stripSuffix(stripped); !shorter.equals(stripped); shorter = stripSuffix(stripped)) {
                stripped = shorter;
                undated.add(stripped);
            }
        }
        names.addAll(undated);
        names.remove("");
        return List.copyOf(names);
    }

    private static String stripSuffix(String name) {
        return VERSION_SUFFIX.matcher(name).replaceFirst("");
    }
}
