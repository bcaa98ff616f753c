package io.bricksllm.events;

import java.util.List;

/**
 * Which events a query reads. Every part is optional: a null bound is no bound, an empty list is no
 * filter; list filters are membership tests except {@code tags}, which the event must contain all of.
 * {@code status} 0 means any status.
 * {@code teamIds}: the team of the event's key when it was made.
 */
public record EventFilter(
        Long start,
        Long end,
        boolean endInclusive,
        List<String> keyIds,
        List<String> tags,
        List<String> customIds,
        List<String> userIds,
        List<String> policyIds,
        List<String> actions,
        int status,
        List<String> teamIds,
        List<String> models) {

    public EventFilter {
        models = copy(models);
        teamIds = copy(teamIds);
        keyIds = copy(keyIds);
        tags = copy(tags);
        customIds = copy(customIds);
        userIds = copy(userIds);
        policyIds = copy(policyIds);
        actions = copy(actions);
    }

    /** Events of these models (as recorded); empty = any (issue 21, the console's events explorer). */
    public EventFilter withModels(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, policyIds, actions, status, teamIds, v);
    }

    /** Every event. */
    public static EventFilter all() {
        return new EventFilter(null, null, false, null, null, null, null, null, null, 0, null, null);
    }

    /** Events with {@code start <= created_at < end}. */
    public static EventFilter between(long start, long end) {
        return all().withRange(start, end, false);
    }

    public EventFilter withRange(Long start, Long end, boolean endInclusive) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, policyIds, actions, status, teamIds, models);
    }

    public EventFilter withKeyIds(List<String> v) {
        return new EventFilter(start, end, endInclusive, v, tags, customIds, userIds, policyIds, actions, status, teamIds, models);
    }

    public EventFilter withTags(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, v, customIds, userIds, policyIds, actions, status, teamIds, models);
    }

    public EventFilter withCustomIds(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, v, userIds, policyIds, actions, status, teamIds, models);
    }

    public EventFilter withUserIds(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, v, policyIds, actions, status, teamIds, models);
    }

    public EventFilter withPolicyIds(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, v, actions, status, teamIds, models);
    }

    public EventFilter withActions(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, policyIds, v, status, teamIds, models);
    }

    public EventFilter withStatus(int v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, policyIds, actions, v, teamIds, models);
    }

    /** Events recorded for a key of one of these teams (the key's team at request time, issue 19.8). */
    public EventFilter withTeamIds(List<String> v) {
        return new EventFilter(start, end, endInclusive, keyIds, tags, customIds, userIds, policyIds, actions, status, v, models);
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
