package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version in pom.xml is the one --version prints, and CHANGELOG.md says what is released and what is not. */
class VersionsAgreeTest {

    private static final Path PROJECT = Path.of(System.getProperty("safeops.project.dir"));
    private static final Pattern POM_VERSION = Pattern.compile(
            "<artifactId>safe-ops</artifactId>\\s*<version>([^<]+)</version>");
    private static final Pattern RELEASE = Pattern.compile("^## \\[(\\d+\\.\\d+\\.\\d+)] - \\d{4}-\\d{2}-\\d{2}$");

    @Test
    void versionPrintsThePomsVersionPgjdbcsAndJavas() throws IOException {
        Cli run = Cli.run("--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly("safe-ops " + pomVersion(),
                "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")");
    }

    @Test
    void changelogOpensWithUnreleasedAndDatesEveryRelease() throws IOException {
        List<String> headings = Files.readAllLines(PROJECT.resolve("CHANGELOG.md"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("## ")).toList();

        assertThat(headings).isNotEmpty();
        assertThat(headings.get(0)).isEqualTo("## [Unreleased]");
        assertThat(headings.subList(1, headings.size())).allMatch(heading -> RELEASE.matcher(heading).matches());
    }

    @Test
    void changelogReleasesAgreeWithThePomVersion() throws IOException {
        String pom = pomVersion();
        List<String> released = new ArrayList<>();
        for (String line : Files.readAllLines(PROJECT.resolve("CHANGELOG.md"), StandardCharsets.UTF_8)) {
            Matcher release = RELEASE.matcher(line);
            if (release.matches()) {
                released.add(release.group(1));
            }
        }

        if (pom.endsWith("-SNAPSHOT")) {
            // Work towards a version not released yet: every release in the changelog comes before it.
            String next = pom.substring(0, pom.length() - "-SNAPSHOT".length());
            assertThat(released).allMatch(version -> compare(version, next) < 0, "released before " + next);
        } else {
            assertThat(released).as("the newest release in CHANGELOG.md").first().isEqualTo(pom);
        }
    }

    @Test
    void readmeInstallsThePomsVersion() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> named = new ArrayList<>();
        Matcher dependency = POM_VERSION.matcher(readme);
        while (dependency.find()) {
            named.add(dependency.group(1));
        }
        Matcher jar = Pattern.compile("safe-ops-(\\d[^ /]*)-cli\\.jar").matcher(readme);
        while (jar.find()) {
            named.add(jar.group(1));
        }

        assertThat(named).isNotEmpty().containsOnly(pomVersion());
    }

    private static String pomVersion() throws IOException {
        Matcher version = POM_VERSION.matcher(Files.readString(PROJECT.resolve("pom.xml"), StandardCharsets.UTF_8));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static int compare(String left, String right) {
        int[] a = Arrays.stream(left.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] b = Arrays.stream(right.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(a, b);
    }
}
