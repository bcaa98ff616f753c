package io.bricksllm.admin.auth;

import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import java.util.Set;

/**
 * Who may call one admin route, and what the audit log names as its resource. {@code resourceType} is set on the
 * routes that change something (they are audited); null on reads, even when a read is a POST (a query body).
 */
public record RouteRule(Access access, TeamGate gate, String resourceType) {

    /** The roles a route admits. */
    public enum Access {
        /** Admin only: a change to global configuration (providers, routes, policies, teams) or a rebuild. */
        ADMIN_CHANGE,
        /** Admin and viewer; refused to a team-admin (global data: provider settings, the audit log, metrics). */
        READ,
        /** Admin, viewer and team-admin alike (routes, policies, health: configuration a key refers to, no secret). */
        SHARED_READ,
        /** Admin and viewer; a team-admin through {@link #gate} (it confines the request to its teams). */
        TEAM_READ,
        /** Admin; a team-admin through {@link #gate}; never a viewer. */
        TEAM_CHANGE;

        public boolean change() {
            return this == ADMIN_CHANGE || this == TEAM_CHANGE;
        }
    }

    /** What a team-admin's call becomes: the request to run (possibly narrowed to its teams) or an answer already. */
    public sealed interface Admission {
        record Run(AdminRequest request) implements Admission {}

        record Answer(AdminReply reply) implements Admission {}
    }

    /** Confines a team-admin's call to its teams; throws a 403 {@code AdminError} when it reaches beyond them. */
    @FunctionalInterface
    public interface TeamGate {
        Admission admit(AdminRequest request, Set<String> teams);
    }

    public RouteRule {
        if ((access == Access.TEAM_READ || access == Access.TEAM_CHANGE) != (gate != null)) {
            throw new IllegalArgumentException("a team gate goes with TEAM_READ and TEAM_CHANGE only");
        }
        if (access.change() && resourceType == null) throw new IllegalArgumentException("a change names its resource type");
    }

    public static RouteRule read() {
        return new RouteRule(Access.READ, null, null);
    }

    public static RouteRule sharedRead() {
        return new RouteRule(Access.SHARED_READ, null, null);
    }

    public static RouteRule teamRead(TeamGate gate) {
        return new RouteRule(Access.TEAM_READ, gate, null);
    }

    public static RouteRule adminChange(String resourceType) {
        return new RouteRule(Access.ADMIN_CHANGE, null, resourceType);
    }

    public static RouteRule teamChange(String resourceType, TeamGate gate) {
        return new RouteRule(Access.TEAM_CHANGE, gate, resourceType);
    }
}
