package dev.safeops.cli;

import dev.safeops.Pagila;

import dev.safeops.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pagila, a pg_dump of a PostgreSQL sample database, applied as a plain SQL file. */
class PagilaRoundTripTest extends SchemaRoundTrip {

    @RegisterExtension
    static final TestDatabase reference = TestDatabase.on(SERVER);

    @RegisterExtension
    static final TestDatabase target = TestDatabase.on(SERVER);

    @Override
    Path script() {
        return Pagila.schema();
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
        return Map.of("42P07", 125L, "42809", 55L, "42710", 54L, "42P16", 14L, "42723", 10L);
    }

    @Override
    String dropSomeTables() {
        return "DROP TABLE public.payment, public.rental, public.film_actor CASCADE";
    }
}
