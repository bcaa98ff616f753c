package io.bricksllm.store;

import java.util.List;
import java.util.Map;

/**
 * What to do with personal data and forbidden content in requests (BEHAVIOUR.md §3.8): entity rules
 * ({@code config.rules}: entity → action), regex rules and natural-language custom rules.
 */
public record Policy(String id, String name, long createdAt, long updatedAt, List<String> tags, EntityConfig config,
                     RuleConfig regexConfig, RuleConfig customConfig) {

    public record EntityConfig(Map<String, String> rules) {
        public EntityConfig {
            rules = rules == null ? Map.of() : Map.copyOf(rules);
        }
    }

    public record Rule(String definition, String action) {}

    public record RuleConfig(List<Rule> rules) {
        public RuleConfig {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    public Policy {
        tags = tags == null ? List.of() : List.copyOf(tags);
        config = config == null ? new EntityConfig(Map.of()) : config;
        regexConfig = regexConfig == null ? new RuleConfig(List.of()) : regexConfig;
        customConfig = customConfig == null ? new RuleConfig(List.of()) : customConfig;
    }
}
