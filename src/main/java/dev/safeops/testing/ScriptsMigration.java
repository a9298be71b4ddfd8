package dev.safeops.testing;

import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.Script;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** Equal for the same files and policy, so that test classes with the same set-up share a template database. */
record ScriptsMigration(Policy policy, List<Path> files) implements Migration {

    ScriptsMigration {
        Objects.requireNonNull(policy, "policy");
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("name at least one SQL file");
        }
    }

    @Override
    public void migrate(DataSource dataSource) throws Exception {
        // Read them all first: a file that cannot be read must not leave the others half-applied.
        List<Script> scripts = files.stream().map(Script::read).toList();
        inTransaction(dataSource, connection -> {
            SafeOps ops = SafeOps.on(connection, policy);
            for (Script script : scripts) {
                ops.run(script);
            }
        });
    }

    interface Work {
        void run(Connection connection) throws Exception;
    }

    static void inTransaction(DataSource dataSource, Work work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (Exception | Error e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "scripts " + files;
    }
}
