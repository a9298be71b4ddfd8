package dev.safeops;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The Pagila sample schema the tests use as a large real-world script. It is in the main resources,
 * since the bench's re-run case uses it too.
 */
public final class Pagila {

    private Pagila() {
    }

    /** The schema file, read from the class path (inside the repository, never beside it). */
    public static Path schema() {
        try {
            return Path.of(Pagila.class.getResource("pagila/pagila-schema.sql").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
