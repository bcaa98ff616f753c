package io.bricksllm.telemetry.tracing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real OTLP/HTTP receiver: accepts protobuf exports on /v1/traces and keeps every span, decoded. */
final class OtlpReceiver implements AutoCloseable {
    /** One received span; ids in lower-case hex, parent "" for a root. */
    record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
                        Map<String, Object> attributes, String status, Map<String, Object> resource) {
        Object attr(String name) {
            return attributes.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        try {
            server = vertx.createHttpServer().requestHandler(req -> {
                if (!req.path().equals("/v1/traces")) {
                    req.response().setStatusCode(404).end();
                    return;
                }
                contentTypes.add(req.getHeader("Content-Type"));
                req.body().onSuccess(body -> {
                    try {
                        decode(ExportTraceServiceRequest.parseFrom(body.getBytes()));
                        req.response().putHeader("Content-Type", "application/x-protobuf")
                                .end(io.vertx.core.buffer.Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
                    } catch (Exception e) {
                        req.response().setStatusCode(400).end();
                    }
                });
            }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("OTLP receiver did not start", e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<ReceivedSpan> spans() {
        return new ArrayList<>(spans);
    }

    List<String> contentTypes() {
        return new ArrayList<>(contentTypes);
    }

    List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private void decode(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (var s : ss.getSpansList()) {
                    spans.add(new ReceivedSpan(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
                            hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(), s.getKind().name(),
                            attributes(s.getAttributesList()), s.getStatus().getCode().name(), resource));
                }
            }
        }
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) out.put(kv.getKey(), value(kv.getValue()));
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
            default -> v.toString();
        };
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
