package dev.safeops.bench;

import dev.safeops.SafeOps;
import dev.safeops.jdbc.SafeConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. A way to run a
 * migration's statements in one transaction, as users write it. Each runs on a connection with
 * autocommit off and leaves the commit to the caller.
 */
public enum Variant {

    /** One statement after the other; the first error aborts the transaction, so no table may be missing. */
    RAW("raw JDBC", false) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            return eachStatement(connection, workload, (statement, sql) -> {
                statement.execute(sql);
                return true;
            });
        }
    },

    /** A JDBC savepoint around every statement, rolled back to on error: three round trips a statement. */
    SAVEPOINTS("JDBC savepoints", true) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            return eachStatement(connection, workload, (statement, sql) -> {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    statement.execute(sql);
                    connection.releaseSavepoint(savepoint);
                    return true;
                } catch (SQLException e) {
                    connection.rollback(savepoint);
                    return false;
                }
            });
        }
    },

    /** pgjdbc's {@code autosave=always}: the driver sets a savepoint before every statement and rolls back to it on error. */
    AUTOSAVE("pgjdbc autosave=always", true) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            return eachStatement(connection, workload, (statement, sql) -> {
                try {
                    statement.execute(sql);
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            });
        }

        @Override
        Map<String, String> connectionSettings() {
            return Map.of("autosave", "always");
        }
    },

    /** safe-ops, one {@code execute} per statement. */
    SAFE_OPS_EACH("safe-ops execute", true) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            SafeOps ops = SafeOps.on(connection);
            for (String sql : workload.statements()) {
                ops.execute(sql);
            }
            return Tally.of(ops.report());
        }
    },

    /** The raw JDBC code, unchanged, on a connection wrapped by {@link SafeConnection}. */
    SAFE_CONNECTION("safe-ops SafeConnection", true) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            SafeConnection guarded = SafeConnection.wrap(connection);
            RAW.run(guarded, workload);
            return Tally.of(guarded.report());
        }
    },

    /** safe-ops running the statements as one script, pipelined. */
    SAFE_OPS_PIPELINED("safe-ops pipelined", true) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            return Tally.of(SafeOps.on(connection).run(workload.script()));
        }
    },

    /**
     * The same script pipelined on a database with every table present: the clean run that a drifted
     * run is measured against, measured only when tables are missing.
     */
    SAFE_OPS_PIPELINED_CLEAN("safe-ops pipelined clean", false) {
        @Override
        Tally run(Connection connection, Workload workload) throws SQLException {
            return SAFE_OPS_PIPELINED.run(connection, workload);
        }
    };

    /** The variants worth measuring for the workload: a clean run differs from the pipelined one only when tables are missing. */
    public static List<Variant> measuredFor(Workload workload) {
        return Arrays.stream(values())
                .filter(variant -> variant != SAFE_OPS_PIPELINED_CLEAN || workload.missingPercent() > 0).toList();
    }

    private final String label;
    private final boolean survivesMissingTables;

    Variant(String label, boolean survivesMissingTables) {
        this.label = label;
        this.survivesMissingTables = survivesMissingTables;
    }

    /** How the bench output names it. */
    public String label() {
        return label;
    }

    /** The workload this variant can run: raw JDBC gets every table, since it cannot survive a missing one. */
    Workload workloadFor(Workload workload) {
        return survivesMissingTables ? workload : workload.withoutMissingTables();
    }

    abstract Tally run(Connection connection, Workload workload) throws SQLException;

    /** pgjdbc settings the variant's connection needs. */
    Map<String, String> connectionSettings() {
        return Map.of();
    }

    /** How a plain JDBC variant runs one statement; true when it took effect, false when it was skipped. */
    private interface StatementRunner {
        boolean applied(Statement statement, String sql) throws SQLException;
    }

    final Tally eachStatement(Connection connection, Workload workload, StatementRunner runner)
            throws SQLException {
        int applied = 0;
        int skipped = 0;
        try (Statement statement = connection.createStatement()) {
            for (String sql : workload.statements()) {
                if (runner.applied(statement, sql)) {
                    applied++;
                } else {
                    skipped++;
                }
            }
        }
        // Each statement applied inside a savepoint of its own keeps that subtransaction until the commit.
        return new Tally(applied, skipped, this == RAW ? 0 : applied, null);
    }
}
