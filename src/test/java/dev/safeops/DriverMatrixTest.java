package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Users bring their own pgjdbc, any version they run, or none: safe-ops runs a guarded script on
 * the oldest and newest release of every pgjdbc line still in use, pipelined where that release's
 * internals are the ones safe-ops knows and one statement at a time otherwise, and with no pgjdbc
 * visible to it at all. Each case loads safe-ops afresh in a class loader that sees only that
 * driver; the jars are copied into the build directory by the build (see pom.xml).
 */
class DriverMatrixTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** The outcomes; the savepoints differ between the pipelines (one per window, or one per statement). */
    private static final String SUMMARY = "3 applied, 2 skipped (42P01 undefined_table ×2), ";

    @ParameterizedTest(name = "pgjdbc {0}")
    @ValueSource(strings = {"42.2.29", "42.4.0", "42.4.5", "42.6.0", "42.6.2", "42.7.0", "42.7.14"})
    void runsAGuardedScriptPipelinedOnPgjdbc(String version) throws Exception {
        assertThat(connectAndRun(version, new Properties())).startsWith(SUMMARY).endsWith("|pipelined");
    }

    @Test
    void fallsBackToPlainJdbcOnPgjdbcWhoseInternalsDiffer() throws Exception {
        // 42.2.0 hands rows to result handlers as byte[][] and update counts as int.
        assertThat(connectAndRun("42.2.0", new Properties())).startsWith(SUMMARY).endsWith("|plain");
    }

    @ParameterizedTest(name = "pgjdbc {0}")
    @ValueSource(strings = {"42.2.0", "42.7.14"})
    void runsAGuardedScriptWithAutosaveAlwaysAndCleanupSavepoints(String version) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("autosave", "always");
        settings.setProperty("cleanupSavepoints", "true");

        assertThat(connectAndRun(version, settings)).startsWith(SUMMARY);
    }

    @Test
    void fallsBackToPlainJdbcWhenPgjdbcIsNotOnItsClassPath() throws Exception {
        try (URLClassLoader loader = isolated(null); Connection connection = db.connect()) {
            Method run = probe(loader).getMethod("run", Connection.class, String.class);

            assertThat(invoke(run, connection, "without_driver")).startsWith(SUMMARY).endsWith("|plain");
        }
    }

    private static String connectAndRun(String version, Properties extra) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("user", db.user());
        if (db.password() != null) {
            settings.setProperty("password", db.password());
        }
        settings.putAll(extra);
        String table = "pgjdbc_" + version.replace('.', '_') + (extra.isEmpty() ? "" : "_autosave");
        try (URLClassLoader loader = isolated(version)) {
            Method connectAndRun = probe(loader).getMethod("connectAndRun", String.class, Properties.class, String.class);
            return invoke(connectAndRun, db.jdbcUrl(), settings, table);
        }
    }

    /** safe-ops, its tests' probe and SLF4J, plus pgjdbc {@code version} if not null; nothing else from the class path. */
    private static URLClassLoader isolated(String version) throws MalformedURLException, URISyntaxException {
        List<URL> urls = new ArrayList<>();
        urls.add(codeOf(SafeOps.class));
        urls.add(codeOf(DriverMatrixProbe.class));
        urls.add(codeOf(LoggerFactory.class));
        if (version != null) {
            Path jar = Path.of(System.getProperty("safeops.pgjdbc.jars", "target/pgjdbc"), "postgresql-" + version + ".jar");
            assertThat(jar).as("pgjdbc " + version + ", copied by the build").exists();
            urls.add(jar.toUri().toURL());
        }
        return new URLClassLoader("pgjdbc-" + version, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static URL codeOf(Class<?> type) throws URISyntaxException, MalformedURLException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL();
    }

    private static Class<?> probe(ClassLoader loader) throws ClassNotFoundException {
        Class<?> probe = Class.forName(DriverMatrixProbe.class.getName(), true, loader);
        assertThat(probe).isNotSameAs(DriverMatrixProbe.class);
        return probe;
    }

    private static String invoke(Method method, Object... arguments) throws Exception {
        try {
            return (String) method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
