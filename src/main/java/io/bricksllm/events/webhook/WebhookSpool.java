package io.bricksllm.events.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, ordered log of webhook batches and the cursor of what the receiver acknowledged. Every batch is written
 * here before it is sent, so a batch keeps its id (and its bytes, hence its signature) across retries and restarts.
 * <p>
 * Files in the directory:
 * <ul>
 *   <li>{@code spool-id}: a random id made when the spool is created; every batch id is {@code <spool-id>-<seq>}, so ids
 *       never repeat even if the directory is wiped.</li>
 *   <li>{@code seg-<first seq, 20 digits>.log}: segments of records {@code B <seq> <events> <length> <crc32>\n} followed by
 *       the {@code length} bytes of the NDJSON body. Appends are one write each, fsync'd (data) before they return.</li>
 *   <li>{@code cursor}: the sequence number of the next batch to deliver (every lower one was acknowledged), replaced
 *       atomically (write, fsync, rename, fsync of the directory) after each acknowledgement.</li>
 *   <li>{@code dead-<batch id>.ndjson}: bodies the receiver refused; never sent again, not counted in the size.</li>
 * </ul>
 * A crash may leave a torn record at the end of the last segment: opening truncates it (that batch was never counted
 * as spooled). The segments' total size is bounded: past it, the oldest segment is dropped (its undelivered events
 * counted). Thread-safe; every method holds the spool's lock, none does network I/O.
 */
final class WebhookSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSpool.class);
    private static final String SEGMENT_PREFIX = "seg-";
    private static final String SEGMENT_SUFFIX = ".log";
    /** Longest header line: "B " + 3 numbers of at most 19 digits + crc + spaces + newline. */
    private static final int MAX_HEADER = 96;

    /** One batch as stored: {@code recordBytes} is its header and body on disk. */
    record Batch(long seq, String id, int events, byte[] body, long recordBytes) {}

    private static final class Segment {
        final long firstSeq;
        final Path path;
        long bytes;

        Segment(long firstSeq, Path path, long bytes) {
            this.firstSeq = firstSeq;
            this.path = path;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final String spoolId;
    private final long maxBytes;
    private final long segmentBytes;
    /** Oldest first; the first is the one the cursor is in, the last the one appended to. */
    private final Deque<Segment> segments = new ArrayDeque<>();
    private FileChannel writer;
    /** Held while open: two processes on one spool would send its batches twice. */
    private final FileChannel lockFile;
    private final java.nio.channels.FileLock lock;
    private long nextSeq;
    private long cursorSeq;
    /** Where the batch {@link #cursorSeq} starts in the first segment. */
    private long readOffset;
    private long totalBytes;
    private long droppedEvents;
    private boolean closed;
    /** Copies for metrics, read without the lock (a scrape must not wait behind an fsync). */
    private volatile long pendingBytesSnapshot;
    private volatile long droppedSnapshot;

    WebhookSpool(Path dir, long maxBytes, long segmentBytes) throws IOException {
        if (maxBytes < 1 || segmentBytes < 1) throw new IllegalArgumentException("spool sizes must be positive");
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        this.lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock held;
        try {
            held = lockFile.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            held = null; // this process has it open already
        }
        if (held == null) {
            lockFile.close();
            throw new IOException("the event webhook spool " + dir + " is in use by another gateway; give each its own EVENT_WEBHOOK_SPOOL_DIR");
        }
        this.lock = held;
        try {
            this.spoolId = spoolId(dir);
            recover();
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
        snapshot();
    }

    /** A segment size for a spool limit: a sixteenth, between 64 KiB and 64 MiB (dropping the oldest drops one). */
    static long segmentBytesFor(long maxBytes) {
        return Math.max(64L << 10, Math.min(64L << 20, maxBytes / 16));
    }

    /** Appends one batch and returns its sequence number; drops the oldest segments when the spool is over its size. */
    synchronized long append(byte[] body, int events) throws IOException {
        if (closed) throw new IOException("the event webhook spool is closed");
        Segment last = segments.peekLast();
        if (last == null || (last.bytes >= segmentBytes && last.bytes > 0)) last = newSegment();
        long seq = nextSeq;
        byte[] header = header(seq, events, body);
        ByteBuffer[] record = {ByteBuffer.wrap(header), ByteBuffer.wrap(body)};
        long size = header.length + (long) body.length;
        try {
            long written = 0;
            while (written < size) written += writer.write(record);
            writer.force(false);
        } catch (IOException e) {
            // what reached the file is a torn record: cut it so that the next append starts clean
            try {
                writer.truncate(last.bytes);
            } catch (IOException ignored) {
                // the next open truncates it
            }
            throw e;
        }
        last.bytes += size;
        totalBytes += size;
        nextSeq = seq + 1;
        try {
            enforceLimit();
        } finally {
            snapshot();
        }
        return seq;
    }

    /** The batch to deliver next, or null when every batch was acknowledged. */
    synchronized Batch peek() throws IOException {
        try {
            return next();
        } finally {
            snapshot();
        }
    }

    private Batch next() throws IOException {
        while (!closed && cursorSeq < nextSeq) {
            Segment first = segments.peekFirst();
            if (first == null) return null;
            if (readOffset >= first.bytes) {
                if (segments.size() == 1) return null;
                advanceSegment(); // a segment read to its end: the next one starts with the cursor's batch
                continue;
            }
            try (FileChannel ch = FileChannel.open(first.path, StandardOpenOption.READ)) {
                Record r = readRecord(ch, readOffset, first.bytes);
                if (r == null) {
                    LOG.error("event webhook spool {} is unreadable from byte {}; the rest of it is skipped",
                            first.path.getFileName(), readOffset);
                    skipRestOfSegment(first);
                    continue;
                }
                if (r.seq < cursorSeq) { // below the cursor (a spool whose cursor was written past a record)
                    readOffset += r.recordBytes();
                    continue;
                }
                if (r.body == null) {
                    LOG.error("event webhook batch {} in the spool is corrupt (checksum); its {} event(s) are dropped",
                            r.seq, r.events);
                    droppedEvents += r.events;
                    readOffset += r.recordBytes();
                    cursorSeq = r.seq + 1;
                    writeCursor();
                    continue;
                }
                return new Batch(r.seq, spoolId + "-" + r.seq, r.events, r.body, r.recordBytes());
            }
        }
        return null;
    }

    /** The receiver took {@code b}: the cursor moves past it, durably. A batch dropped or acknowledged meanwhile is ignored. */
    synchronized void ack(Batch b) throws IOException {
        if (closed || b.seq() != cursorSeq) return;
        readOffset += b.recordBytes();
        cursorSeq = b.seq() + 1;
        Segment first = segments.peekFirst();
        try {
            if (first != null && readOffset >= first.bytes && segments.size() > 1) advanceSegment();
            writeCursor();
        } finally {
            snapshot();
        }
    }

    /** Keeps a refused batch's body beside the spool, for an operator; never sent again. */
    synchronized Path deadLetter(Batch b) throws IOException {
        Path file = dir.resolve("dead-" + b.id() + ".ndjson");
        Files.write(file, b.body());
        return file;
    }

    /** Bytes of the batches not yet acknowledged (the segments on disk may also hold acknowledged ones until rolled). */
    long bytes() {
        return pendingBytesSnapshot;
    }

    /** Events dropped by the size limit or as corrupt, since this spool was opened. */
    long droppedEvents() {
        return droppedSnapshot;
    }

    private void snapshot() {
        pendingBytesSnapshot = Math.max(0, totalBytes - readOffset);
        droppedSnapshot = droppedEvents;
    }

    /** Further appends fail and acknowledgements are ignored: the directory may be handed to a new instance. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeWriter();
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.warn("cannot release the event webhook spool's lock: {}", e.toString());
        }
    }

    // ---- internals (lock held) ------------------------------------------------------------------------------

    private void enforceLimit() throws IOException {
        while (totalBytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.peekFirst();
            long events = 0;
            long batches = 0;
            try (FileChannel ch = FileChannel.open(oldest.path, StandardOpenOption.READ)) {
                for (long at = readOffset; at < oldest.bytes; ) {
                    Record r = readHeader(ch, at, oldest.bytes);
                    if (r == null) break;
                    if (r.seq >= cursorSeq) {
                        events += r.events;
                        batches++;
                    }
                    at += r.recordBytes();
                }
            }
            droppedEvents += events;
            LOG.warn("event webhook spool is over its limit ({} bytes): dropped its oldest {} undelivered event(s) in {} batch(es)",
                    maxBytes, events, batches);
            advanceSegment();
            writeCursor();
        }
    }

    /** Deletes the first segment; the cursor moves to the start of the next. */
    private void advanceSegment() throws IOException {
        Segment gone = segments.removeFirst();
        totalBytes -= gone.bytes;
        Files.deleteIfExists(gone.path);
        Segment next = segments.peekFirst();
        readOffset = 0;
        if (next != null) cursorSeq = Math.max(cursorSeq, next.firstSeq);
    }

    private void skipRestOfSegment(Segment s) throws IOException {
        if (segments.size() > 1) {
            advanceSegment();
        } else {
            // the segment being appended to: the batches after the bad spot cannot be found; start a new one
            closeWriter();
            readOffset = s.bytes;
            cursorSeq = nextSeq;
        }
        writeCursor();
    }

    private Segment newSegment() throws IOException {
        closeWriter();
        Path path = dir.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, nextSeq, SEGMENT_SUFFIX));
        writer = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        forceDirectory();
        Segment s = new Segment(nextSeq, path, writer.size());
        totalBytes += s.bytes;
        if (segments.isEmpty()) readOffset = 0;
        segments.addLast(s);
        return s;
    }

    private void closeWriter() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("cannot close an event webhook spool segment: {}", e.toString());
        }
        writer = null;
    }

    private void writeCursor() throws IOException {
        Path tmp = dir.resolve("cursor.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap((cursorSeq + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
    }

    /** Makes a created or renamed file's name durable (Linux); best effort elsewhere. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open a directory; the data itself is forced
        }
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(SEGMENT_PREFIX) && n.endsWith(SEGMENT_SUFFIX);
            }).sorted().toList();
        }
        for (Path p : files) {
            String n = p.getFileName().toString();
            long first = Long.parseLong(n.substring(SEGMENT_PREFIX.length(), n.length() - SEGMENT_SUFFIX.length()));
            Segment s = new Segment(first, p, Files.size(p));
            segments.addLast(s);
            totalBytes += s.bytes;
        }
        nextSeq = 0;
        Segment last = segments.peekLast();
        if (last != null) nextSeq = scanAndTruncate(last);
        long cursor = readCursor();
        cursorSeq = Math.max(cursor, segments.isEmpty() ? 0 : segments.peekFirst().firstSeq);
        nextSeq = Math.max(nextSeq, cursorSeq); // batch ids never repeat, even after a lost segment
        // segments wholly acknowledged (a crash between the cursor's rename and their deletion)
        while (segments.size() > 1) {
            Segment second = new ArrayList<>(segments).get(1);
            if (second.firstSeq > cursorSeq) break;
            Segment gone = segments.removeFirst();
            totalBytes -= gone.bytes;
            Files.deleteIfExists(gone.path);
        }
        readOffset = 0;
        Segment first = segments.peekFirst();
        if (first != null) {
            try (FileChannel ch = FileChannel.open(first.path, StandardOpenOption.READ)) {
                while (readOffset < first.bytes) {
                    Record r = readHeader(ch, readOffset, first.bytes);
                    if (r == null || r.seq >= cursorSeq) break;
                    readOffset += r.recordBytes();
                }
            }
        }
        if (last != null) {
            writer = FileChannel.open(last.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        if (cursorSeq < nextSeq) {
            LOG.info("event webhook spool holds {} undelivered batch(es) ({} bytes on disk); they are sent first",
                    nextSeq - cursorSeq, totalBytes);
        }
    }

    /** Checks every record of the last segment, truncates a torn or corrupt tail, and returns the next sequence number. */
    private long scanAndTruncate(Segment s) throws IOException {
        long next = s.firstSeq;
        long at = 0;
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (at < s.bytes) {
                Record r = readRecord(ch, at, s.bytes);
                if (r == null || r.body == null) break;
                next = r.seq + 1;
                at += r.recordBytes();
            }
            if (at < s.bytes) {
                LOG.warn("event webhook spool {} ends with {} byte(s) of a batch cut short (a crash while writing); they are removed",
                        s.path.getFileName(), s.bytes - at);
                ch.truncate(at);
                ch.force(true);
                totalBytes -= s.bytes - at;
                s.bytes = at;
            }
        }
        return next;
    }

    private long readCursor() throws IOException {
        try {
            return Long.parseLong(Files.readString(dir.resolve("cursor"), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (NumberFormatException e) {
            LOG.error("event webhook spool cursor is unreadable; delivery restarts at the oldest spooled batch");
            return 0;
        }
    }

    private static String spoolId(Path dir) throws IOException {
        Path file = dir.resolve("spool-id");
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!id.isEmpty()) return id;
        } catch (NoSuchFileException e) {
            // a new spool
        }
        String id = UUID.randomUUID().toString();
        Path tmp = dir.resolve("spool-id.tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    // ---- records --------------------------------------------------------------------------------------------

    /** A record read from disk; {@code body} is null when only the header was read, or when the checksum failed. */
    private record Record(long seq, int events, int headerBytes, int bodyBytes, long crc, byte[] body) {
        long recordBytes() {
            return headerBytes + (long) bodyBytes;
        }
    }

    private static byte[] header(long seq, int events, byte[] body) {
        return ("B " + seq + " " + events + " " + body.length + " " + Long.toHexString(crc(body)) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long crc(byte[] body) {
        CRC32 c = new CRC32();
        c.update(body);
        return c.getValue();
    }

    /** The header at {@code at}, or null when there is no whole record there. */
    private static Record readHeader(FileChannel ch, long at, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_HEADER, end - at));
        while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
            // reads until full or the end of the file
        }
        byte[] bytes = new byte[buf.position()];
        buf.flip().get(bytes);
        int nl = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) return null;
        String[] parts = new String(bytes, 0, nl, StandardCharsets.US_ASCII).split(" ");
        if (parts.length != 5 || !parts[0].equals("B")) return null;
        try {
            long seq = Long.parseLong(parts[1]);
            int events = Integer.parseInt(parts[2]);
            int length = Integer.parseInt(parts[3]);
            long crc = Long.parseLong(parts[4], 16);
            if (seq < 0 || events < 0 || length < 0 || at + nl + 1L + length > end) return null;
            return new Record(seq, events, nl + 1, length, crc, null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The whole record at {@code at} (body null when its checksum fails), or null when there is no whole record there. */
    private static Record readRecord(FileChannel ch, long at, long end) throws IOException {
        Record h = readHeader(ch, at, end);
        if (h == null) return null;
        ByteBuffer body = ByteBuffer.allocate(h.bodyBytes);
        long from = at + h.headerBytes;
        while (body.hasRemaining()) {
            if (ch.read(body, from + body.position()) < 0) return null;
        }
        byte[] bytes = body.array();
        return new Record(h.seq, h.events, h.headerBytes, h.bodyBytes, h.crc, crc(bytes) == h.crc ? bytes : null);
    }
}
