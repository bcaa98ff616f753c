# Build: docker build -t bricksllm-jvm .
# Run (embedded mode): docker run -p 8001:8001 -p 8002:8002 -v bricks-data:/data bricksllm-jvm
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN useradd --system --home /data bricks && mkdir -p /data && chown bricks /data
COPY --from=build /src/target/bricksllm.jar /app/bricksllm.jar
USER bricks
ENV DATA_DIR=/data \
    MODE=production \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError"
VOLUME /data
EXPOSE 8001 8002
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8001/api/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/bricksllm.jar"]
