package io.bricksllm.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders that hold credentials or request data (the SQLite database, the event spool): created readable
 * by the gateway's own user only (0700 / 0600), whatever the process umask. On a file system without POSIX
 * permissions (Windows) they are created with its defaults.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates the folder and any missing parents as 0700. A folder that already exists is left as it is: it may be
     * the operator's own (SQLITE_PATH=/srv/bricks.db), and its mode is theirs to choose.
     */
    public static Path directory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return abs;
        if (!posix(abs)) return Files.createDirectories(abs);
        Path parent = abs.getParent();
        if (parent != null) directory(parent);
        try {
            Files.createDirectory(abs, attribute(DIRECTORY));
            Files.setPosixFilePermissions(abs, DIRECTORY); // exactly 0700, whatever the umask did to the attribute
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(abs)) throw raced;
        }
        return abs;
    }

    /** Creates an empty 0600 file, or narrows an existing one (and its SQLite -wal / -shm companions) to 0600. */
    public static void file(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (!posix(abs)) return;
        try {
            Files.createFile(abs, attribute(FILE));
        } catch (FileAlreadyExistsException exists) {
            // a database from before, created with the umask's mode
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Path p = abs.resolveSibling(abs.getFileName() + suffix);
            if (Files.isRegularFile(p)) Files.setPosixFilePermissions(p, FILE);
        }
    }

    private static boolean posix(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        try {
            return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
