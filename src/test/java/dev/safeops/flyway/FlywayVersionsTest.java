package dev.safeops.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try (URLClassLoader loader = IsolatedClassLoader.of(IsolatedClassLoader.jars("flyway-oldest"))) {
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
        try (URLClassLoader loader = IsolatedClassLoader.of(IsolatedClassLoader.jars("flyway-unsupported"))) {
            assertThatThrownBy(() -> newCallback(loader)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("safe-ops' SafeOpsCallback needs Flyway 11.7 or later, whose callbacks can run a"
                            + " migration's statements in Flyway's place; the class path has Flyway 9.22.3. Upgrade"
                            + " org.flywaydb:flyway-core and add org.flywaydb:flyway-database-postgresql of the same"
                            + " version.");
        }
    }

    @Test
    void flywayWithoutItsPostgresqlSupportIsRefusedClearly() throws Exception {
        try (URLClassLoader loader = IsolatedClassLoader.of(List.of(IsolatedClassLoader.jarOf(Flyway.class)))) {
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


}
