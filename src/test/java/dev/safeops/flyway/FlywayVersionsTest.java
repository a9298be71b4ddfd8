package dev.safeops.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supported Flyway range, oldest (what Spring Boot 3.5 manages) to newest: the same compiled
 * safe-ops classes run against each, the oldest from jars the build copies to
 * {@code target/flyway-oldest}, in a class loader of its own. A Flyway outside the range is
 * refused with a clear message.
 */
class FlywayVersionsTest {

    @RegisterExtension
    static final TestDatabase oldest = new TestDatabase();

    @RegisterExtension
    static final TestDatabase newest = new TestDatabase();

    @RegisterExtension
    static final TestDatabase scenario = new TestDatabase();

    @TempDir
    Path migrations;

    @Test
    void oldestSupportedFlywayGivesTheSameResultsAsTheNewest() throws Exception {
        List<String> expected = IncidentScenario.run(newest.jdbcUrl(), newest.user(), newest.password(),
                Files.createDirectory(migrations.resolve("newest")).toString());

        List<String> actual;
        try (URLClassLoader loader = isolated(jars("flyway-oldest"))) {
            actual = runScenario(loader, Files.createDirectory(migrations.resolve("oldest")));
        }

        assertThat(actual.get(0)).isEqualTo("flyway 11.7.2");
        assertThat(expected.get(0)).isEqualTo("flyway " + FlywayRequirement.version(Flyway.class.getClassLoader()));
        assertThat(actual.subList(1, actual.size())).isEqualTo(expected.subList(1, expected.size()));
    }

    @Test
    void incidentScenarioAppliesTheCoreChangesAndSkipsTheModules() throws Exception {
        List<String> lines = IncidentScenario.run(scenario.jdbcUrl(), scenario.user(), scenario.password(),
                migrations.toString());

        assertThat(lines).contains(
                "V1__core_tables.sql: 4 applied, 0 skipped, 4 savepoints",
                "V2__incident_1.sql: 6 applied, 5 skipped (42P01 undefined_table ×5), 11 savepoints",
                "success true", "1 SQL true", "2 SQL true", "3 JDBC true",
                "users.password", "documents.version", "documents.archived");
    }

    @Test
    void flywayThatCannotBlockStatementsIsRefusedClearly() throws Exception {
        try (URLClassLoader loader = isolated(jars("flyway-unsupported"))) {
            assertThatThrownBy(() -> newCallback(loader)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("safe-ops' SafeOpsCallback needs Flyway 11.7 or later, whose callbacks can run a"
                            + " migration's statements in Flyway's place; the class path has Flyway 9.22.3. Upgrade"
                            + " org.flywaydb:flyway-core and add org.flywaydb:flyway-database-postgresql of the same"
                            + " version.");
        }
    }

    @Test
    void flywayWithoutItsPostgresqlSupportIsRefusedClearly() throws Exception {
        try (URLClassLoader loader = isolated(List.of(jarOf(Flyway.class)))) {
            assertThatThrownBy(() -> newCallback(loader)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("add org.flywaydb:flyway-database-postgresql "
                            + FlywayRequirement.version(Flyway.class.getClassLoader()));
        }
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertThat(FlywayRequirement.isOlder("9.22.3", "11.7")).isTrue();
        assertThat(FlywayRequirement.isOlder("11.6.9", "11.7")).isTrue();
        assertThat(FlywayRequirement.isOlder("11.7.2", "11.7")).isFalse();
        assertThat(FlywayRequirement.isOlder("13.12.2", "11.7")).isFalse();
        assertThat(FlywayRequirement.isOlder("12.0.0-beta", "11.7")).isFalse();
    }

    private List<String> runScenario(ClassLoader loader, Path directory) throws Exception {
        Object lines = invoke(loader.loadClass(IncidentScenario.class.getName())
                .getMethod("run", String.class, String.class, String.class, String.class),
                oldest.jdbcUrl(), oldest.user(), oldest.password(), directory.toString());
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) lines;
        return strings;
    }

    private static Object newCallback(ClassLoader loader) throws Exception {
        return invokeConstructor(loader.loadClass(SafeOpsCallback.class.getName()));
    }

    private static Object invoke(java.lang.reflect.Method method, Object... arguments) throws Exception {
        try {
            return method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            throw rethrown(e);
        }
    }

    private static Object invokeConstructor(Class<?> type) throws Exception {
        try {
            return type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw rethrown(e);
        }
    }

    private static Exception rethrown(InvocationTargetException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return (Exception) e.getCause();
    }

    /** The jars the build copied to {@code target/<directory>}. */
    private static List<Path> jars(String directory) throws IOException, URISyntaxException {
        Path target = Path.of(FlywayVersionsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        try (Stream<Path> files = Files.list(target.resolve(directory))) {
            List<Path> jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
            assertThat(jars).as("jars in target/" + directory + " (copied by the build)").isNotEmpty();
            return jars;
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * A class loader that takes Flyway, Jackson and safe-ops (library and tests) from the given jars
     * and this build's classes, never from the test class path, and everything else (the driver,
     * SLF4J) from the test class path.
     */
    private static URLClassLoader isolated(List<Path> flywayJars) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(jarOf(SafeOpsCallback.class).toUri().toURL());
        urls.add(jarOf(FlywayVersionsTest.class).toUri().toURL());
        for (Path jar : flywayJars) {
            urls.add(jar.toUri().toURL());
        }
        return new ChildFirstClassLoader(urls.toArray(URL[]::new), FlywayVersionsTest.class.getClassLoader());
    }

    private static final class ChildFirstClassLoader extends URLClassLoader {
        private static final List<String> OWN_CLASSES = List.of("org.flywaydb.", "com.fasterxml.jackson.",
                "dev.safeops.");
        private static final List<String> OWN_RESOURCES = List.of("org/flywaydb/", "com/fasterxml/jackson/",
                "dev/safeops/", "META-INF/services/org.flywaydb.", "META-INF/services/com.fasterxml.jackson.");

        ChildFirstClassLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (OWN_CLASSES.stream().noneMatch(name::startsWith)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> type = findLoadedClass(name);
                if (type == null) {
                    type = findClass(name);
                }
                if (resolve) {
                    resolveClass(type);
                }
                return type;
            }
        }

        @Override
        public URL getResource(String name) {
            return isOwn(name) ? findResource(name) : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return isOwn(name) ? findResources(name) : super.getResources(name);
        }

        private static boolean isOwn(String name) {
            return OWN_RESOURCES.stream().anyMatch(name::startsWith);
        }
    }
}
