package io.bricksllm.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is off unless an exporter is named, and a configuration the gateway cannot serve fails at start-up. */
class TracingSettingsTest {
    @Test
    void offWithoutAnExporterOrWithNone() {
        assertThat(Tracing.from(Map.of())).isSameAs(Tracing.OFF);
        assertThat(Tracing.from(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"))).isSameAs(Tracing.OFF);
        assertThat(Tracing.OFF.on()).isFalse();
    }

    @Test
    void onWithOtlp() {
        try (Tracing t = Tracing.from(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"))) {
            assertThat(t.on()).isTrue();
        }
    }

    /** Only the JDK HttpClient sender is shipped: OTLP over gRPC is refused at start, not silently dropped. */
    @Test
    void grpcIsRefusedAtStart() {
        assertThatThrownBy(() -> Tracing.from(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTEL_");
    }

    @Test
    void theServiceIsBricksllmUnlessNamed() {
        assertThat(Tracing.serviceName(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isEqualTo("bricksllm");
        assertThat(Tracing.serviceName(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SERVICE_NAME", "gw-eu"))).isEqualTo("gw-eu");
        assertThat(Tracing.serviceName(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_RESOURCE_ATTRIBUTES", "service.name=gw-us,team=ai")))
                .isEqualTo("gw-us");
    }
}
