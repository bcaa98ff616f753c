package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DumpTest {
    @Test
    void dump() throws Exception {
        for (var e : ResponsesCases.ANSWERS.entrySet()) {
            Files.writeString(Path.of("/tmp/dump/" + e.getKey() + ".responses.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(JSON.readTree(ResponsesCases.encode(e.getValue()))) + "\n");
        }
        for (var e : ResponsesCases.STREAMS.entrySet()) {
            Files.write(Path.of("/tmp/dump/" + e.getKey() + ".responses.sse"), ResponsesCases.encode(e.getValue()));
        }
    }
}
