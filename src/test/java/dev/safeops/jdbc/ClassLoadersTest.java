package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SafeConnection where safe-ops and the driver live in different class loaders (an application
 * server, Flyway's command line with its drivers folder), and without Byte Buddy.
 */
class ClassLoadersTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void emptySchema() throws SQLException {
        Schema.reset(db, "");
    }

    @Test
    void aDriverInAChildClassLoaderIsGuardedAndFoundThroughTheWrappersClassLoader() throws Exception {
        try (URLClassLoader application = loader(entry -> !isDriver(entry), ClassLoader.getPlatformClassLoader());
             URLClassLoader drivers = loader(ClassLoadersTest::isDriver, application)) {
            Object result = application.loadClass(IsolatedScenario.class.getName())
                    .getMethod("skipAndUnwrap", ClassLoader.class, String.class, String.class, String.class)
                    .invoke(null, drivers, db.jdbcUrl(), db.user(), db.password());

            assertThat(result).isEqualTo("skipped=1 driverClassFromDriverLoader=true unwrapped=true");
        }
    }

    @Test
    void aDriverInAParentClassLoaderIsGuardedAsInAnApplicationServer() throws Exception {
        try (URLClassLoader server = loader(ClassLoadersTest::isDriver, ClassLoader.getPlatformClassLoader());
             URLClassLoader application = loader(entry -> !isDriver(entry), server)) {
            Object result = application.loadClass(IsolatedScenario.class.getName())
                    .getMethod("skipAndUnwrap", ClassLoader.class, String.class, String.class, String.class)
                    .invoke(null, server, db.jdbcUrl(), db.user(), db.password());

            assertThat(result).isEqualTo("skipped=1 driverClassFromDriverLoader=true unwrapped=true");
        }
    }

    @ParameterizedTest(name = "pgjdbc {0}")
    @ValueSource(strings = {"42.2.0", "42.7.14"})
    void theOldestAndNewestPgjdbcAreGuarded(String version) throws Exception {
        Path jar = Path.of(System.getProperty("safeops.pgjdbc.jars", "target/pgjdbc"), "postgresql-" + version + ".jar");
        try (URLClassLoader application = loader(entry -> !isDriver(entry), ClassLoader.getPlatformClassLoader());
             URLClassLoader drivers = new URLClassLoader(new URL[] {jar.toUri().toURL()}, application)) {
            Object result = application.loadClass(IsolatedScenario.class.getName())
                    .getMethod("skipAndUnwrap", ClassLoader.class, String.class, String.class, String.class)
                    .invoke(null, drivers, db.jdbcUrl(), db.user(), db.password());

            assertThat(result).isEqualTo("skipped=1 driverClassFromDriverLoader=true unwrapped=true");
        }
    }

    @Test
    void wrappingWithoutByteBuddyNamesTheMissingDependency() throws Exception {
        try (URLClassLoader application = loader(entry -> !entry.contains("byte-buddy"),
                ClassLoader.getPlatformClassLoader())) {
            Object result = application.loadClass(IsolatedScenario.class.getName())
                    .getMethod("wrapWithoutByteBuddy", String.class, String.class, String.class)
                    .invoke(null, db.jdbcUrl(), db.user(), db.password());

            assertThat(result).asString().contains("net.bytebuddy:byte-buddy", "not on the class path");
        }
    }

    private static boolean isDriver(String entry) {
        return Path.of(entry).getFileName().toString().startsWith("postgresql-");
    }

    /** A loader over the test class path's entries that pass the filter. */
    private static URLClassLoader loader(Predicate<String> keep, ClassLoader parent) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (keep.test(entry)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), parent);
    }
}
