package dev.safeops.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A class loader that takes Flyway, Jackson, Spring (with Micrometer and Commons Logging) and
 * safe-ops (library and tests) from the given
 * jars and this build's classes, never from the test class path, and everything else (the driver,
 * SLF4J, JUnit, AssertJ) from the test class path: the same compiled safe-ops against another
 * Flyway version.
 */
final class IsolatedClassLoader extends URLClassLoader {

    private static final List<String> OWN_CLASSES = List.of("org.flywaydb.", "com.fasterxml.jackson.",
            "org.springframework.", "io.micrometer.", "org.apache.commons.logging.", "dev.safeops.");
    private static final List<String> OWN_RESOURCES = List.of("org/flywaydb/", "com/fasterxml/jackson/",
            "org/springframework/", "dev/safeops/", "META-INF/services/org.flywaydb.",
            "META-INF/services/com.fasterxml.jackson.", "META-INF/spring");

    private IsolatedClassLoader(URL[] urls, ClassLoader parent) {
        super(urls, parent);
    }

    /** This build's classes and test classes, and {@code jars}. */
    static IsolatedClassLoader of(List<Path> jars) throws IOException, URISyntaxException {
        List<URL> urls = new ArrayList<>();
        urls.add(jarOf(SafeOpsCallback.class).toUri().toURL());
        urls.add(jarOf(IsolatedClassLoader.class).toUri().toURL());
        for (Path jar : jars) {
            urls.add(jar.toUri().toURL());
        }
        return new IsolatedClassLoader(urls.toArray(URL[]::new), IsolatedClassLoader.class.getClassLoader());
    }

    /** The jars the build copied to {@code target/<directory>}. */
    static List<Path> jars(String directory) throws IOException, URISyntaxException {
        Path target = jarOf(IsolatedClassLoader.class).getParent();
        try (Stream<Path> files = Files.list(target.resolve(directory))) {
            List<Path> jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
            assertThat(jars).as("jars in target/" + directory + " (copied by the build)").isNotEmpty();
            return jars;
        }
    }

    /** The jar (or class directory) a class was loaded from. */
    static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
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
