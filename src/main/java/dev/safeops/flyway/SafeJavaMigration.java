package dev.safeops.flyway;

import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.Settings;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway Java migration whose operations run through safe-ops: a statement on an optional
 * module's missing table, or one whose object is already there, is skipped and reported instead of
 * failing the migration; anything else fails it.
 *
 * <pre>{@code
 * public class V7__optional_modules extends SafeJavaMigration {
 *     @Override
 *     protected Policy policy() {
 *         return Policy.defaults().withOptionalTables("pipeline_*", "admin_*");
 *     }
 *
 *     @Override
 *     public void migrate(SafeOps ops) throws Exception {
 *         ops.addColumn("users", Column.of("password", "text"));
 *         ops.execute("ALTER TABLE pipeline_templates ADD COLUMN archived boolean");  // skipped if absent
 *     }
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The operations run on the connection and in the transaction Flyway gives the migration;
 *       the migration never commits, rolls back or changes the connection's mode. With
 *       {@link #canExecuteInTransaction()} returning {@code false}, Flyway gives it a connection in
 *       autocommit mode, and each operation is its own transaction.</li>
 *   <li>Skips are logged at WARN as they happen; the migration's summary at INFO when it ends.</li>
 *   <li>A {@link dev.safeops.SafeOpsException} the body does not catch fails the migration: Flyway
 *       records it as failed, and PostgreSQL rolls all of a transactional migration back.</li>
 *   <li>Naming ({@code V7__optional_modules}, {@code R__…}), version, description, checksum and
 *       {@code canExecuteInTransaction()} are {@link BaseJavaMigration}'s, and can be overridden
 *       the same way.</li>
 * </ul>
 *
 * <p>The body reaches the database only through {@link SafeOps}. A migration that also needs the
 * raw connection (to read data, say) extends {@code BaseJavaMigration} and calls
 * {@code SafeOps.on(context.getConnection(), policy)} itself.
 */
public abstract class SafeJavaMigration extends BaseJavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SafeJavaMigration.class);

    /** Reads version and description from the class name, as {@link BaseJavaMigration} does. */
    protected SafeJavaMigration() {
    }

    /**
     * The migration's body: every operation on {@code ops} is guarded.
     *
     * @throws Exception to fail the migration; a {@link dev.safeops.SafeOpsException} carries the
     *     SQLSTATE, statement and operation that were not tolerated
     */
    public abstract void migrate(SafeOps ops) throws Exception;

    /** The policy the body's operations are guarded with: {@link Policy#defaults()} unless overridden. */
    protected Policy policy() {
        return Policy.defaults();
    }

    /**
     * The settings the body's operations run with: {@link Settings#defaults()} unless overridden
     * (to accept the loss of an object's data, say: {@code withAcceptedDataLoss("orders.legacy_note")}).
     */
    protected Settings settings() {
        return Settings.defaults();
    }

    /** Runs {@link #migrate(SafeOps)} on Flyway's connection and logs what was applied and skipped. */
    @Override
    public final void migrate(Context context) throws Exception {
        SafeOps ops = SafeOps.on(context.getConnection(), policy(), settings());
        boolean succeeded = false;
        try {
            migrate(ops);
            succeeded = true;
        } finally {
            Report report = ops.report();
            if (succeeded) {
                LOG.info("safe-ops {}: {}", getClass().getSimpleName(), report.summary());
            } else {
                LOG.info("safe-ops {}: failed after {}", getClass().getSimpleName(), report.summary());
            }
        }
    }
}
