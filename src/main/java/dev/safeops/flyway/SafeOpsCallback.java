package dev.safeops.flyway;

import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.Settings;
import java.sql.Connection;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.callback.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway callback that runs every statement of Flyway's plain {@code .sql} migrations through
 * safe-ops, so that a statement on an optional module's missing table, or one whose object is
 * already there, is skipped and reported instead of failing the migration, while anything else
 * fails it as before.
 *
 * <pre>{@code
 * Flyway.configure()
 *         .dataSource(url, user, password)
 *         .callbacks(new SafeOpsCallback(Policy.defaults().withOptionalTables("pipeline_*", "admin_*")))
 *         .load()
 *         .migrate();
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only the statements of migrations are guarded, on the connection Flyway runs them on.
 *       Flyway's schema-history statements, SQL callbacks ({@code beforeMigrate.sql}, …) and
 *       anything on other connections never reach it: Flyway does not announce them to
 *       callbacks.</li>
 *   <li>A statement safe-ops ran, applied or skipped, is not run again by Flyway. Skips are logged at
 *       WARN as they happen, and each migration's summary at INFO when it ends.</li>
 *   <li>An error the policy does not tolerate fails the migration through Flyway's own error path:
 *       a transactional migration is rolled back whole and leaves no history row, a
 *       non-transactional one is recorded as failed, exactly as without safe-ops.</li>
 *   <li>Transactions are Flyway's: a migration Flyway runs in a transaction is guarded with a
 *       savepoint per statement; one Flyway runs outside a transaction (its
 *       {@code executeInTransaction} setting, or a statement such as {@code CREATE INDEX
 *       CONCURRENTLY} that Flyway detects as non-transactional) runs each statement on its own in
 *       autocommit mode. safe-ops never commits, rolls back or changes the mode.</li>
 *   <li>{@code COPY … FROM STDIN} with inline data is left to Flyway, which runs it as it always
 *       does; so is everything in a dry run (Flyway Teams), which must not change the database.</li>
 * </ul>
 *
 * <p>Java migrations are not announced statement by statement; extend {@link SafeJavaMigration}
 * for those. One instance serves one {@code migrate()} at a time, like the Flyway it is given to.
 */
public final class SafeOpsCallback implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOpsCallback.class);

    /**
     * Flyway calls callbacks in the order of their names and stops at the first that blocks a
     * statement; sorting after every usual name lets the user's other statement callbacks see (or
     * block) a statement before safe-ops runs it.
     */
    private static final String NAME = "~safe-ops";

    private final Policy policy;
    private final Settings settings;
    private final BiConsumer<MigrationInfo, Report> reports;
    private GuardedMigration current;

    /** Guards SQL migrations with {@link Policy#defaults()}. */
    public SafeOpsCallback() {
        this(Policy.defaults());
    }

    /**
     * Guards SQL migrations with the given policy.
     *
     * @throws IllegalStateException if the Flyway on the class path is older than 11.7 or lacks
     *     its PostgreSQL support ({@code flyway-database-postgresql})
     */
    public SafeOpsCallback(Policy policy) {
        this(policy, Settings.defaults(), (migration, report) -> { });
    }

    /**
     * Guards SQL migrations with the given policy and settings (to accept the loss of an object's
     * data, say: {@code Settings.defaults().withAcceptedDataLoss("orders.legacy_note")}).
     *
     * @throws IllegalStateException if the Flyway on the class path is older than 11.7 or lacks
     *     its PostgreSQL support ({@code flyway-database-postgresql})
     */
    public SafeOpsCallback(Policy policy, Settings settings) {
        this(policy, settings, (migration, report) -> { });
    }

    /** Also hands each migration's report to {@code reports} when the migration ends. */
    SafeOpsCallback(Policy policy, BiConsumer<MigrationInfo, Report> reports) {
        this(policy, Settings.defaults(), reports);
    }

    private SafeOpsCallback(Policy policy, Settings settings, BiConsumer<MigrationInfo, Report> reports) {
        FlywayRequirement.requireStatementBlocking(Callback.class.getClassLoader());
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reports = reports;
    }

    /** The policy every statement is guarded with. */
    public Policy policy() {
        return policy;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE_STATEMENT
                || event == Event.AFTER_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        if (event == Event.BEFORE_EACH_MIGRATE_STATEMENT) {
            guard(context);
        } else if (event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE_ERROR) {
            finish(context, event == Event.AFTER_EACH_MIGRATE);
        }
    }

    @Override
    public String getCallbackName() {
        return NAME;
    }

    private void guard(Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        Statement statement = context.getStatement();
        if (migration == null || statement == null || statement.getSql() == null) {
            return; // not a migration's statement: Flyway runs it as usual
        }
        if (context.getConfiguration() != null && context.getConfiguration().getDryRunOutput() != null) {
            return; // a dry run (Flyway Teams) only writes statements out: running one would change the database
        }
        GuardedMigration guarded = guardedMigration(migration, context.getConnection());
        int number = guarded.nextStatement();
        String text = statement.getSql();
        // Flyway hands over the statement followed by its delimiter: ";" for PostgreSQL, except
        // COPY … FROM STDIN, whose inline data ends with "\." on a line of its own and which only
        // Flyway can send.
        if (!text.endsWith(";")) {
            LOG.debug("safe-ops leaves statement {} of {} to Flyway: {}", number, migration.getScript(), text);
            return;
        }
        String sql = text.substring(0, text.length() - 1);
        if (sql.isBlank()) {
            return;
        }
        try {
            guarded.ops().execute(sql);
        } catch (SafeOpsException e) {
            throw new FlywayException("safe-ops did not tolerate statement " + number + " of " + migration.getScript()
                    + ": " + e.getMessage(), e);
        }
        throw StatementBlock.ranInFlywaysPlace("statement " + number + " of " + migration.getScript());
    }

    private GuardedMigration guardedMigration(MigrationInfo migration, Connection connection) {
        if (current == null || current.migration() != migration || current.connection() != connection) {
            current = new GuardedMigration(migration, connection, SafeOps.on(connection, policy, settings));
        }
        return current;
    }

    private void finish(Context context, boolean succeeded) {
        GuardedMigration finished = current;
        current = null;
        if (finished == null || finished.migration() != context.getMigrationInfo()) {
            return; // a Java migration, or a SQL migration without statements: nothing was guarded
        }
        Report report = finished.ops().report();
        if (succeeded) {
            LOG.info("safe-ops {}: {}", finished.migration().getScript(), report.summary());
        } else {
            LOG.info("safe-ops {}: failed after {}", finished.migration().getScript(), report.summary());
        }
        reports.accept(finished.migration(), report);
    }

    /** The safe-ops session of the migration whose statements are being run. */
    private static final class GuardedMigration {
        private final MigrationInfo migration;
        private final Connection connection;
        private final SafeOps ops;
        private int statements;

        GuardedMigration(MigrationInfo migration, Connection connection, SafeOps ops) {
            this.migration = migration;
            this.connection = connection;
            this.ops = ops;
        }

        MigrationInfo migration() {
            return migration;
        }

        Connection connection() {
            return connection;
        }

        SafeOps ops() {
            return ops;
        }

        int nextStatement() {
            return ++statements;
        }
    }
}
