package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The library jar users depend on exposes its API and nothing else. */
class LibraryJarIT {

    private static final Path JAR = Path.of(System.getProperty("safeops.library.jar"));

    @Test
    void exposesExactlyTheDocumentedPublicTypes() throws Exception {
        assertThat(publicTypes()).filteredOn(type -> !isInternal(type)).containsExactlyInAnyOrderElementsOf(documented());
    }

    @Test
    void keepsInternalsInPackagesNamedInternal() throws Exception {
        assertThat(publicTypes()).filteredOn(LibraryJarIT::isInternal)
                .allMatch(type -> type.startsWith("dev.safeops.jdbc.internal."));
    }

    @Test
    void leavesTheCommandLineTheBenchmarkAndItsSampleSchemaOut() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(Collections.list(jar.entries())).extracting(JarEntry::getName)
                    .noneMatch(name -> name.startsWith("dev/safeops/cli/") || name.startsWith("dev/safeops/bench/")
                            || name.startsWith("dev/safeops/pagila/"));
        }
    }

    /** Every type a user can name: public, and nested only in public types. */
    private static List<String> publicTypes() throws IOException, ClassNotFoundException {
        List<String> types = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                        false, LibraryJarIT.class.getClassLoader());
                boolean reachable = !type.isAnonymousClass() && !type.isLocalClass();
                for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
                    reachable &= Modifier.isPublic(t.getModifiers());
                }
                if (reachable) {
                    types.add(type.getCanonicalName());
                }
            }
        }
        return types;
    }

    /**
     * A package named {@code internal} is public only because generated classes in another class
     * loader must extend its types; it is not API and may change in any release.
     */
    private static boolean isInternal(String type) {
        return type.contains(".internal.");
    }

    private static List<String> documented() throws IOException {
        try (InputStream in = Objects.requireNonNull(LibraryJarIT.class.getResourceAsStream("public-api.txt"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }
}
