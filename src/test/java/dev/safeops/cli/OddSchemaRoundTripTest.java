package dev.safeops.cli;

import dev.safeops.testing.TestDatabase;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pg_dump-style schema full of what splits badly and re-runs badly: see odd-schema.sql. */
class OddSchemaRoundTripTest extends SchemaRoundTrip {

    @RegisterExtension
    static final TestDatabase reference = TestDatabase.on(SERVER);

    @RegisterExtension
    static final TestDatabase target = TestDatabase.on(SERVER);

    @Override
    Path script() {
        try {
            return Path.of(OddSchemaRoundTripTest.class.getResource("odd-schema.sql").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    TestDatabase reference() {
        return reference;
    }

    @Override
    TestDatabase target() {
        return target;
    }

    @Override
    Map<String, Long> skipsOfASecondRun() {
        return Map.of("42P07", 30L, "42710", 13L, "42P16", 9L, "42723", 6L, "42809", 5L, "42P06", 2L);
    }

    @Override
    String dropSomeTables() {
        return "DROP TABLE app.users, app.events, \"Mixed Case\".\"Order Lines\" CASCADE";
    }
}
