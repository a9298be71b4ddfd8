package dev.safeops.testing;

import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Something that changes a database's schema, run by {@link TestDatabase} before a class's tests and by
 * {@link DriftCheck} on each starting state: SQL files ({@link #scripts}) or typed operations ({@link #safeOps})
 * with safe-ops, Flyway ({@link FlywayMigration}), or any tool through the data source, for example Liquibase.
 *
 * <p>A migration must leave no connection open: a database is copied from it only when nobody is connected.
 */
@FunctionalInterface
public interface Migration {

    /**
     * Migrates the database the data source connects to.
     *
     * @throws Exception anything the migration throws; the caller reports it as a failure
     */
    void migrate(DataSource dataSource) throws Exception;

    /**
     * SQL files run with safe-ops and its default policy, each statement in its own savepoint, all files in one
     * transaction that is committed at the end, or rolled back when a statement fails.
     */
    static Migration scripts(Path... files) {
        return scripts(Policy.defaults(), files);
    }

    /** SQL files run with safe-ops and this policy, as {@link #scripts(Path...)} describes. */
    static Migration scripts(Policy policy, Path... files) {
        return new ScriptsMigration(policy, List.of(files));
    }

    /**
     * Typed operations on a {@link SafeOps} with the default policy, in one transaction committed at the end, or
     * rolled back when an operation fails:
     * <pre>{@code
     * Migration.safeOps(ops -> ops.addColumn("users", Column.of("password", "text")))
     * }</pre>
     */
    static Migration safeOps(Steps steps) {
        return safeOps(Policy.defaults(), steps);
    }

    /** Typed operations on a {@link SafeOps} with this policy, as {@link #safeOps(Steps)} describes. */
    static Migration safeOps(Policy policy, Steps steps) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(steps, "steps");
        return dataSource -> ScriptsMigration.inTransaction(dataSource, connection ->
                steps.apply(SafeOps.on(connection, policy)));
    }

    /** The body of a {@link #safeOps(Steps)} migration. */
    @FunctionalInterface
    interface Steps {
        void apply(SafeOps ops) throws SafeOpsException, SQLException;
    }
}
