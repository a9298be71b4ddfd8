package dev.safeops.testing;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases test databases are copied from: one per server and set-up, made on first use and kept for the
 * rest of the run, so a set-up runs once per run however many test classes share it. Set-ups are the same when
 * their migrations are equal: SQL files by file names and policy, any other migration by identity.
 */
final class TemplateDatabases {

    private record Key(String server, List<Migration> setup) {
    }

    private static final Map<Key, String> templates = new HashMap<>();
    private static final AtomicInteger counter = new AtomicInteger();

    private TemplateDatabases() {
    }

    /** The template's name, after running the set-up on it if this is the first request. */
    static synchronized String of(PostgresServer server, List<Migration> setup) throws Exception {
        Key key = new Key(server.adminJdbcUrl(), setup);
        String existing = templates.get(key);
        if (existing != null) {
            return existing;
        }
        // The pid keeps two test runs on one long-lived server from dropping each other's templates.
        String name = "safeops_template_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        // template0, not template1: whatever a long-lived server added to template1 must not leak in.
        ThrowawayDatabase template = ThrowawayDatabase.copy(server, "template0", name);
        try {
            for (Migration migration : setup) {
                migration.migrate(template.dataSource());
            }
        } catch (Exception | Error e) {
            try {
                template.close();
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (server.givenByUrl()) {
            // A server of the test run's own dies with it; one that outlives the run must not keep templates.
            TestPostgres.stopAtExit(template);
        }
        templates.put(key, name);
        return name;
    }
}
