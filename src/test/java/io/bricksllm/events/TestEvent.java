package io.bricksllm.events;

import java.util.List;
import java.util.UUID;

/** A fluent builder of {@link Event}s for tests; defaults are a plain authenticated 200. */
final class TestEvent {
    String id = UUID.randomUUID().toString();
    long createdAt = 1_700_000_000L;
    List<String> tags = List.of();
    String keyId = "key-1";
    double cost = 0;
    String provider = "openai";
    String model = "gpt-4o";
    int status = 200;
    long prompt;
    long completion;
    long latency;
    String path = "/api/providers/openai/v1/chat/completions";
    String method = "POST";
    String customId = "";
    byte[] request;
    byte[] response;
    String userId = "";
    String action = "";
    String policyId = "";
    String routeId = "";
    String correlationId = "";
    String metadata;
    boolean unpriced;
    long cacheRead;
    long cacheWrite;
    long reasoning;
    String teamId = "";
    int routeStep;
    int routeAttempt;
    String attemptReason = "";

    static TestEvent at(long createdAt) {
        TestEvent t = new TestEvent();
        t.createdAt = createdAt;
        return t;
    }

    TestEvent id(String v) { id = v; return this; }
    TestEvent tags(String... v) { tags = List.of(v); return this; }
    TestEvent key(String v) { keyId = v; return this; }
    TestEvent cost(double v) { cost = v; return this; }
    TestEvent model(String v) { model = v; return this; }
    TestEvent provider(String v) { provider = v; return this; }
    TestEvent status(int v) { status = v; return this; }
    TestEvent tokens(long p, long c) { prompt = p; completion = c; return this; }
    TestEvent latency(long v) { latency = v; return this; }
    TestEvent customId(String v) { customId = v; return this; }
    TestEvent userId(String v) { userId = v; return this; }
    TestEvent action(String v) { action = v; return this; }
    TestEvent policy(String v) { policyId = v; return this; }
    TestEvent bodies(byte[] req, byte[] resp) { request = req; response = resp; return this; }
    TestEvent metadata(String v) { metadata = v; return this; }
    TestEvent unpriced() { unpriced = true; return this; }
    TestEvent details(long read, long write, long thinking) { cacheRead = read; cacheWrite = write; reasoning = thinking; return this; }

    TestEvent team(String v) { teamId = v; return this; }
    TestEvent route(String id, int step, int attempt, String reason) {
        routeId = id; routeStep = step; routeAttempt = attempt; attemptReason = reason; return this;
    }

    Event build() {
        return new Event(id, createdAt, tags, keyId, cost, provider, model, status, prompt, completion, latency, path,
                method, customId, request, response, userId, action, policyId, routeId, correlationId, metadata, unpriced,
                routeStep, routeAttempt, "", "", cacheRead, cacheWrite, reasoning, teamId, attemptReason);
    }
}
