package io.bricksllm.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only files of events that could not be written to the database: one JSON line per event
 * (the {@link Event} record as JSON; bodies base64), in {@code events-<millis>-<seq>.jsonl} files
 * named so that name order is age order. Appends go to the open file; {@link #seal()} closes it so
 * that every file it lists is complete and may be replayed and deleted. Thread-safe.
 */
final class EventSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSpool.class);
    private static final String PREFIX = "events-";
    private static final String REJECTED_PREFIX = "rejected-";
    private static final String SUFFIX = ".jsonl";
    /** A file is sealed after this many events so that a replay reads bounded files. */
    private static final int EVENTS_PER_FILE = 10_000;

    /** Its own mapper, so that the file format does not follow changes made to the shared one. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;
    private final Clock clock;
    private BufferedWriter current;
    private int currentEvents;
    private int seq;
    private volatile boolean pending;

    EventSpool(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the event spool directory " + dir, e);
        }
        this.pending = !files().isEmpty();
    }

    /** True when some events may be waiting in the spool. */
    boolean pending() {
        return pending;
    }

    /** Appends the events to the open file (opening one if needed) and flushes it to the OS. */
    synchronized void append(List<Event> events) throws IOException {
        if (events.isEmpty()) return;
        pending = true;
        if (current == null) {
            current = writer(newFile(PREFIX));
            currentEvents = 0;
        }
        try {
            for (Event e : events) {
                current.write(encode(e));
                current.write('\n');
            }
            current.flush();
        } catch (IOException e) {
            closeCurrent(); // the next append starts a fresh file; a torn last line is skipped on replay
            throw e;
        }
        currentEvents += events.size();
        if (currentEvents >= EVENTS_PER_FILE) closeCurrent();
    }

    /** Appends events the database refused as data (not an outage) to a file that is never replayed. */
    synchronized Path reject(List<Event> events) throws IOException {
        Path file = newFile(REJECTED_PREFIX);
        try (BufferedWriter w = writer(file)) {
            for (Event e : events) {
                w.write(encode(e));
                w.write('\n');
            }
        }
        return file;
    }

    /** Closes the open file and lists every spool file, oldest first; all of them are complete. */
    synchronized List<Path> seal() {
        closeCurrent();
        List<Path> files = files();
        if (files.isEmpty()) pending = false;
        return files;
    }

    /** Reads a sealed file in chunks of at most {@code chunk} events; a line that cannot be read is skipped. */
    void read(Path file, int chunk, ChunkConsumer consumer) throws IOException {
        // InputStreamReader replaces malformed bytes (a multi-byte character torn by a crash) instead of failing
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            List<Event> batch = new ArrayList<>(Math.min(chunk, 1024));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                try {
                    batch.add(decode(line));
                } catch (JsonProcessingException e) {
                    // a line cut short by a crash while appending; the rest of the file is still good
                    LOG.warn("event spool {} line {} is unreadable and is skipped: {}", file.getFileName(), lineNo,
                            e.getOriginalMessage());
                    continue;
                }
                if (batch.size() >= chunk) {
                    consumer.accept(batch);
                    batch = new ArrayList<>(Math.min(chunk, 1024));
                }
            }
            if (!batch.isEmpty()) consumer.accept(batch);
        }
    }

    @FunctionalInterface
    interface ChunkConsumer {
        void accept(List<Event> events) throws IOException;
    }

    void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Moves a file that cannot be read out of the replay (kept as {@code unreadable-…} for an operator). */
    void setAside(Path file) {
        try {
            Files.move(file, file.resolveSibling("unreadable-" + file.getFileName()));
        } catch (IOException e) {
            LOG.error("cannot set aside the unreadable event spool file {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closeCurrent();
    }

    /** Creates a new empty file whose name sorts after every file created before it. */
    private Path newFile(String prefix) throws IOException {
        long millis = clock.millis();
        while (true) {
            Path file = dir.resolve(String.format("%s%015d-%06d%s", prefix, millis, seq++ % 1_000_000, SUFFIX));
            try {
                return Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                // left by a previous run in the same millisecond: take the next sequence number
            }
        }
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), StandardCharsets.UTF_8),
                1 << 16);
    }

    private void closeCurrent() {
        if (current == null) return;
        try {
            current.close();
        } catch (IOException e) {
            LOG.error("cannot close the event spool file: {}", e.toString());
        }
        current = null;
        currentEvents = 0;
    }

    private List<Path> files() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the event spool directory " + dir, e);
        }
    }

    /** One spool line: the event record as JSON, byte arrays in base64. */
    static String encode(Event e) throws IOException {
        return MAPPER.writeValueAsString(e);
    }

    static Event decode(String line) throws JsonProcessingException {
        return MAPPER.readValue(line, Event.class);
    }
}
