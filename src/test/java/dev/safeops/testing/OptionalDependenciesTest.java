package dev.safeops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.safeops.SafeOps;
import dev.safeops.embedded.BinariesPlatform;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when an optional dependency is missing: safe-ops' classes are loaded with only the driver and
 * SLF4J beside them, as in a project that added none of JUnit's neighbours.
 */
class OptionalDependenciesTest {

    @Test
    void withoutAnyServerSourceTheErrorNamesEachMissingArtifact() throws Exception {
        assumeThat(System.getenv(TestPostgres.JDBC_URL_ENVIRONMENT)).as("no server given by URL").isNull();
        String binaries = System.clearProperty(TestPostgres.BINARIES_PROPERTY);
        try (URLClassLoader bare = libraryWithoutOptionalDependencies()) {
            Method defaultServer = bare.loadClass(TestPostgres.class.getName()).getDeclaredMethod("defaultServer");
            defaultServer.setAccessible(true);
            BinariesPlatform platform = BinariesPlatform.current();
            String version = System.getProperty(TestPostgres.MAJOR_PROPERTY, System.getenv(TestPostgres.MAJOR_ENVIRONMENT));

            assertThatThrownBy(() -> invoke(defaultServer, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("No PostgreSQL server for the tests: SAFEOPS_TEST_JDBC_URL is not set, Testcontainers"
                            + " (org.testcontainers:postgresql) is not on the classpath, and no portable PostgreSQL"
                            + " binaries for " + platform + " are on the classpath: add io.zonky.test.postgres:"
                            + platform.artifactId() + ":" + (version == null ? "<version>" : version.trim() + ".x.y")
                            + " (test scope) with org.apache.commons:commons-compress and org.tukaani:xz");
        } finally {
            System.setProperty(TestPostgres.BINARIES_PROPERTY, binaries);
        }
    }

    @Test
    void withoutCommonsCompressTheEmbeddedServerNamesIt(@TempDir Path temp) throws Exception {
        Path jar = temp.resolve("binaries.jar");
        byte[] archive = new byte[1024];
        new Random().nextBytes(archive);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(BinariesPlatform.current().archive()));
            zip.write(archive);
            zip.closeEntry();
        }
        try (URLClassLoader bare = libraryWithoutOptionalDependencies()) {
            Method start = bare.loadClass("dev.safeops.embedded.EmbeddedPostgres").getMethod("start", Path.class);

            assertThatThrownBy(() -> invoke(start, jar))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Unpacking PostgreSQL binaries needs org.apache.commons:commons-compress"
                            + " and org.tukaani:xz on the classpath (safe-ops declares them optional): ");
        }
    }

    @Test
    void theBareClassLoaderReallyLacksTheOptionalDependencies() throws Exception {
        try (URLClassLoader bare = libraryWithoutOptionalDependencies()) {
            for (String absent : new String[] {"org.assertj.core.api.AbstractAssert",
                    "org.testcontainers.containers.PostgreSQLContainer",
                    "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
                    "org.junit.jupiter.api.extension.BeforeAllCallback"}) {
                assertThatThrownBy(() -> bare.loadClass(absent)).isInstanceOf(ClassNotFoundException.class);
            }
            assertThat(bare.getResource(BinariesPlatform.current().archive())).isNull();
        }
    }

    /** safe-ops' own classes, pgjdbc and SLF4J, on the platform class loader: nothing of the test classpath. */
    private static URLClassLoader libraryWithoutOptionalDependencies() {
        return new URLClassLoader(new URL[] {location(SafeOps.class), location(org.postgresql.Driver.class),
                location(org.slf4j.LoggerFactory.class)}, ClassLoader.getPlatformClassLoader());
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static Object invoke(Method method, Object argument) throws Throwable {
        try {
            return method.getParameterCount() == 0 ? method.invoke(null) : method.invoke(null, argument);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
