package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs schema changes on the caller's connection so that a drifted database cannot take a migration
 * down, and nothing is lost or hidden.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * SafeOps ops = SafeOps.on(connection, Policy.defaults().withOptionalTables("pipeline_*", "admin_*"));
 * ops.addColumn("users", Column.of("password", "text"));
 * ops.addColumn("pipeline_template_stages", Column.of("position", "int"));   // skipped if the module is absent
 * ops.createIndex(Index.on("content", "user_id"));
 * connection.commit();
 * log.info("{}", ops.report().summary());
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Inside a transaction (autocommit off) every operation runs in its own savepoint. An error the
 *       {@link Policy} tolerates rolls back that operation only and becomes a {@link Outcome.Status#SKIPPED}
 *       outcome, logged at WARN; everything applied before and after stays in the transaction.</li>
 *   <li>A skip means the object the statement acts on is absent (or, for an error saying it already
 *       exists, there — for typed operations, as wanted; for an index, valid), and the catalog
 *       confirmed it; the outcome's reason says what was confirmed and how. An error about anything
 *       the statement merely mentions (a type, a function, a column in an expression, a role) is
 *       never skipped.</li>
 *   <li>Any other error rolls back that operation only and is thrown as a {@link SafeOpsException}
 *       carrying SQLSTATE, statement, operation, location and the transaction's real state; the caller
 *       decides whether to roll back.</li>
 *   <li>safe-ops never commits or rolls back the caller's transaction. It refuses to work in a
 *       transaction that is already aborted before sending any statement (on a connection that
 *       hides pgjdbc it asks with {@code SELECT 1}, which cannot change anything).</li>
 *   <li>Whatever it can refuse from a statement's text — transaction control, statements PostgreSQL
 *       refuses in a transaction block, {@code COPY} through the client, session changes pgjdbc
 *       cannot live with, several statements in one {@link #execute} — it refuses before anything is
 *       sent, for a whole {@link Script} at once, identically on every kind of connection.</li>
 *   <li>A statement that would destroy data — a {@code DROP TABLE} or {@code TRUNCATE} of a table with
 *       rows, a {@code DROP COLUMN} of a column holding values, a {@code DROP … CASCADE} with dependent
 *       objects, a type change that alters values — is refused before anything of its script is sent
 *       ({@link SafeOpsException.Kind#DATA_LOSS}), unless {@link Settings#acceptedDataLoss()} names its
 *       object. An operation that locks or rewrites a large table carries a warning in its
 *       {@link Outcome#warnings()}, or is refused with {@link Settings#failOnRisk()}.</li>
 *   <li>No round trip can leave client and server waiting for each other: what travels together is
 *       bounded in statements and bytes.</li>
 *   <li>In autocommit mode each statement is its own transaction; errors are classified the same way.</li>
 *   <li>Every identifier is quoted; a name PostgreSQL would truncate (over 63 bytes) or a blank name is
 *       refused before anything is sent.</li>
 * </ul>
 *
 * <p>An instance is bound to one connection and is not thread-safe, like the connection itself.
 */
public final class SafeOps {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    private static final Set<Tolerance> MISSING = EnumSet.of(Tolerance.MISSING);
    private static final Set<Tolerance> EXISTING = EnumSet.of(Tolerance.EXISTING);
    private static final Set<Tolerance> BOTH = EnumSet.allOf(Tolerance.class);

    private final Connection connection;
    private final Policy policy;
    private final Settings settings;
    private final Recorder recorder = new Recorder();
    private Guard guard;

    private SafeOps(Connection connection, Policy policy, Settings settings) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Guards operations on this connection with {@link Policy#defaults()} and {@link Settings#defaults()}. */
    public static SafeOps on(Connection connection) {
        return new SafeOps(connection, Policy.defaults(), Settings.defaults());
    }

    /** Guards operations on this connection with the given policy and {@link Settings#defaults()}. */
    public static SafeOps on(Connection connection, Policy policy) {
        return new SafeOps(connection, policy, Settings.defaults());
    }

    /** Guards operations on this connection with the given policy and settings. */
    public static SafeOps on(Connection connection, Policy policy, Settings settings) {
        return new SafeOps(connection, policy, settings);
    }

    public Policy policy() {
        return policy;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Calls the listener with every outcome as soon as it is known, on the calling thread, in order
     * (for progress displays). Replaces any earlier listener; returns this instance.
     */
    public SafeOps onOutcome(Consumer<Outcome> listener) {
        recorder.listener(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The outcomes of the current unit of work, in order: every outcome since this instance was
     * created or {@link #startUnitOfWork()} was last called.
     */
    public Report report() {
        return recorder.report();
    }

    /**
     * Starts a new unit of work: {@link #report()} forgets the outcomes so far, while
     * {@link #totals()} keeps counting. A session that lives long (on a pooled connection, say)
     * calls it at each transaction's start so that it does not keep every outcome forever; an
     * {@linkplain #onOutcome listener} sees every outcome either way.
     */
    public void startUnitOfWork() {
        recorder.startUnitOfWork();
    }

    /** How many operations were applied and skipped, and savepoints used, since this instance was created. */
    public Report.Totals totals() {
        return recorder.totals();
    }

    /**
     * Runs one SQL statement written by the caller. It tolerates both a missing and an existing
     * object by default.
     *
     * <p>Refused before anything is sent, on every kind of connection: more than one statement
     * (a script goes through {@link #run(Script)}); statements that begin or end transactions;
     * statements PostgreSQL cannot run in a transaction block when the connection is in one;
     * {@code COPY … FROM STDIN} and {@code COPY … TO STDOUT}; and changes of {@code
     * client_encoding} or {@code DateStyle}, after which pgjdbc closes the connection. The
     * statement's location, in outcomes and exceptions, is the caller's source line.
     */
    public Outcome execute(String sql) throws SafeOpsException {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("the statement must not be null or blank");
        }
        Location caller = Caller.location();
        Guard guard = guard();
        Operation operation;
        int statements;
        try {
            List<ScriptStatement> split = Script.parse(caller.file(), sql).statements();
            operation = Operation.statement(split.get(0).shape(), caller);
            statements = split.size();
        } catch (InvalidScriptException unsplittable) {
            // Text psql's rules cannot split (an unclosed parenthesis, say) goes to the server as it is,
            // unless a semicolon could end a statement inside it: PostgreSQL parses a whole query string
            // before running any of it, so a broken single statement changes nothing.
            operation = Operation.statement(sql.strip(), caller);
            statements = operation.shape().continuesAfterSemicolon() ? 2 : 1;
        }
        Guard.Step step = new Guard.Step(operation, caller, null, -1);
        if (statements != 1) {
            throw guard.refused(step, "refused several statements in one call: execute runs one statement (a "
                    + "second one could commit or roll back the transaction behind safe-ops' back); run several as "
                    + "a Script. Nothing was sent");
        }
        return guard.run(step);
    }

    /**
     * Runs every statement of the script in order, pipelined: while nothing fails, many statements
     * (each inside its own savepoint) travel in one round trip. Stops at the first error the policy
     * does not tolerate and throws it; the outcomes before it are in {@link #report()}. Logs the
     * run's summary at INFO.
     *
     * @return the outcomes of this script's statements
     */
    public Report run(Script script) throws SafeOpsException {
        Recorder.Mark mark = recorder.mark();
        List<Guard.Step> steps = script.statements().stream()
                .map(statement -> new Guard.Step(Operation.statement(statement.shape(), statement.location()),
                        statement.location(), script.name(), statement.index()))
                .collect(Collectors.toList());
        guard().runAll(steps);
        Report run = recorder.since(mark);
        LOG.info("safe-ops {}: {}", script.name(), run.summary());
        return run;
    }

    /**
     * Accounts for one statement that the caller sent itself, through its own driver objects, with
     * exactly the judgement {@link #execute(String)} applies. It is the entry point of front ends
     * that must run statements themselves to keep their results (the guarded connection of
     * {@code dev.safeops.jdbc}); migration code calls {@link #execute(String)} instead.
     *
     * <p>With {@code error == null} the statement is recorded as applied. Otherwise the caller must
     * already have undone it — rolled back to its own savepoint inside a transaction, or nothing to
     * undo in autocommit mode — and the error is judged: a tolerated one is recorded as skipped
     * (asking the catalog on this instance's connection first where the rule needs it) and returned,
     * any other is thrown.
     *
     * @param savepoint whether the statement ran inside a savepoint of its own, counted in
     *                  {@link Report#savepoints()}
     * @return the statement's outcome, also in {@link #report()} and given to the listener
     * @throws SafeOpsException when the error is not tolerated, the statement is several statements in
     *                          one string (a skip would undo those that succeeded), or the transaction
     *                          turned out to be aborted
     */
    public Outcome account(String sql, boolean savepoint, SQLException error) throws SafeOpsException {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("the statement must not be null or blank");
        }
        Guard guard = guard();
        if (savepoint) {
            recorder.savepointsSent(1);
            if (error == null) {
                recorder.subtransactionsKept(1);
            }
        }
        Location caller = Caller.location();
        Guard.Step step = new Guard.Step(Operation.statement(sql.strip(), caller), caller, null, -1);
        String neverTolerated = error != null && severalStatements(sql)
                ? "several statements sent as one: skipping would also undo those of them that succeeded; "
                        + "send them one per call"
                : null;
        return guard.settle(step, error, neverTolerated);
    }

    private static boolean severalStatements(String sql) {
        try {
            return Script.parse("statement", sql).size() > 1;
        } catch (InvalidScriptException unreadable) {
            return false; // not readable as a script (a psql meta-command, say): judged as one statement
        }
    }

    public Outcome createSchema(String schema) throws SafeOpsException {
        String sql = "CREATE SCHEMA " + Identifier.quote(schema, "schema name");
        return run(Operation.typed("create schema " + schema, sql, EXISTING));
    }

    /** Creates a table; columns marked {@link Column#primaryKey()} form its primary key. */
    public Outcome createTable(String table, Column... columns) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(table, "table name");
        if (columns.length == 0) {
            throw new IllegalArgumentException("table " + table + " needs at least one column");
        }
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(name.sql()).append(" (");
        sql.append(List.of(columns).stream().map(Column::definition).collect(Collectors.joining(", ")));
        List<String> key = List.of(columns).stream().filter(Column::isPrimaryKey)
                .map(c -> Identifier.quote(c.name(), "column name")).collect(Collectors.toList());
        if (!key.isEmpty()) {
            sql.append(", PRIMARY KEY (").append(String.join(", ", key)).append(')');
        }
        sql.append(')');
        return run(Operation.typed("create table " + name, sql.toString(), EXISTING));
    }

    public Outcome dropTable(String table) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(table, "table name");
        return run(Operation.typed("drop table " + name, "DROP TABLE " + name.sql(), MISSING));
    }

    public Outcome renameTable(String table, String newName) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(table, "table name");
        String sql = alterTable(name) + " RENAME TO " + Identifier.quote(newName, "new table name");
        return run(Operation.typed("rename table " + name + " to " + newName, sql, MISSING));
    }

    /**
     * Adds a column. Tolerates a missing table (the optional-module case) and an existing column
     * (a second run).
     */
    public Outcome addColumn(String table, Column column) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(table, "table name");
        String sql = alterTable(name) + " ADD COLUMN " + column.definition() + (column.isPrimaryKey() ? " PRIMARY KEY" : "");
        return run(Operation.typed("add column " + name + "." + column.name(), sql, BOTH)
                .wanting(Wanted.column(name, column)));
    }

    public Outcome dropColumn(String table, String column) throws SafeOpsException {
        return alterColumn(table, column, "drop column", "DROP COLUMN " + Identifier.quote(column, "column name"));
    }

    public Outcome renameColumn(String table, String column, String newName) throws SafeOpsException {
        return alterColumn(table, column, "rename column", "RENAME COLUMN " + Identifier.quote(column, "column name")
                + " TO " + Identifier.quote(newName, "new column name"));
    }

    /** Changes a column's type; {@code type} is SQL, e.g. {@code bigint}. */
    public Outcome alterColumnType(String table, String column, String type) throws SafeOpsException {
        return alterColumnType(table, column, type, null);
    }

    /** Changes a column's type converting existing values with {@code using}, an SQL expression (or null). */
    public Outcome alterColumnType(String table, String column, String type, String using) throws SafeOpsException {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("the new type of " + table + "." + column + " must not be blank");
        }
        return alterColumn(table, column, "change type of",
                columnClause(column) + " TYPE " + type + (using == null ? "" : " USING " + using));
    }

    public Outcome setNotNull(String table, String column) throws SafeOpsException {
        return alterColumn(table, column, "set not null on", columnClause(column) + " SET NOT NULL");
    }

    public Outcome dropNotNull(String table, String column) throws SafeOpsException {
        return alterColumn(table, column, "drop not null on", columnClause(column) + " DROP NOT NULL");
    }

    /** Sets a column default; {@code expression} is SQL, e.g. {@code now()} or {@code 'draft'}. */
    public Outcome setDefault(String table, String column, String expression) throws SafeOpsException {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("the default of " + table + "." + column + " must not be blank");
        }
        return alterColumn(table, column, "set default on", columnClause(column) + " SET DEFAULT " + expression);
    }

    public Outcome dropDefault(String table, String column) throws SafeOpsException {
        return alterColumn(table, column, "drop default on", columnClause(column) + " DROP DEFAULT");
    }

    /**
     * Creates an index. Tolerates a missing table and an existing index of the same name, valid and as
     * wanted. An {@linkplain Index#concurrently() index built concurrently} needs autocommit mode (it
     * is refused in a transaction, before anything is sent) and repairs what failed concurrent builds
     * left: see {@link Index#concurrently()}.
     */
    public Outcome createIndex(Index index) throws SafeOpsException {
        QualifiedName table = QualifiedName.parse(index.table(), "table name");
        String description = "create " + (index.isUnique() ? "unique " : "") + "index " + index.effectiveName()
                + " on " + table + (index.isConcurrent() ? " concurrently" : "");
        Operation operation = Operation.typed(description, index.sql(), BOTH).wanting(Wanted.index(table, index));
        return index.isConcurrent() ? runConcurrently(operation, index) : run(operation);
    }

    public Outcome dropIndex(String index) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(index, "index name");
        return run(Operation.typed("drop index " + name, "DROP INDEX " + name.sql(), MISSING));
    }

    /**
     * Drops the index by its name, in its table's schema; an absent index is a skip the catalog
     * confirms. {@linkplain Index#concurrently() Concurrently}, it needs autocommit mode, refuses an
     * index of that name on another table, and first drops the invalid copies a failed
     * {@code REINDEX … CONCURRENTLY} of it left on the table.
     */
    public Outcome dropIndex(Index index) throws SafeOpsException {
        Operation operation = Operation.typed("drop index " + index.effectiveName()
                + (index.isConcurrent() ? " concurrently" : ""), index.dropSql(), MISSING);
        return index.isConcurrent() ? runConcurrently(operation, index) : run(operation);
    }

    /**
     * Adds a foreign key. PostgreSQL has no ADD CONSTRAINT IF NOT EXISTS; a constraint of that name
     * already on the table is a skip. Tolerates a missing referencing or referenced table.
     */
    public Outcome addForeignKey(ForeignKey foreignKey) throws SafeOpsException {
        String description = "add foreign key " + foreignKey.effectiveName() + " on " + foreignKey.target()
                + " referencing " + foreignKey.referenced();
        return run(Operation.typed(description, foreignKey.sql(), BOTH).wanting(Wanted.foreignKey(foreignKey)));
    }

    /** Adds a CHECK constraint; {@code expression} is SQL. Idempotent by constraint name. */
    public Outcome addCheck(String table, String name, String expression) throws SafeOpsException {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("the check expression of " + name + " must not be blank");
        }
        return addConstraint(table, name, "check", "CHECK (" + expression + ")");
    }

    /** Adds a UNIQUE constraint on the columns. Idempotent by constraint name. */
    public Outcome addUnique(String table, String name, String... columns) throws SafeOpsException {
        if (columns.length == 0) {
            throw new IllegalArgumentException("unique constraint " + name + " needs at least one column");
        }
        return addConstraint(table, name, "unique constraint", "UNIQUE (" + List.of(columns).stream()
                .map(c -> Identifier.quote(c, "column name")).collect(Collectors.joining(", ")) + ")");
    }

    public Outcome dropConstraint(String table, String name) throws SafeOpsException {
        QualifiedName target = QualifiedName.parse(table, "table name");
        String sql = alterTable(target) + " DROP CONSTRAINT " + Identifier.quote(name, "constraint name");
        return run(Operation.typed("drop constraint " + name + " on " + target, sql, MISSING));
    }

    /**
     * Creates an enum type. PostgreSQL has no CREATE TYPE IF NOT EXISTS; a type of that name that
     * already exists is a skip.
     */
    public Outcome createEnumType(String type, String... labels) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(type, "type name");
        if (labels.length == 0) {
            throw new IllegalArgumentException("enum type " + type + " needs at least one label");
        }
        String sql = "CREATE TYPE " + name.sql() + " AS ENUM ("
                + List.of(labels).stream().map(Literal::quote).collect(Collectors.joining(", ")) + ")";
        return run(Operation.typed("create enum type " + name, sql, EXISTING)
                .wanting(Wanted.enumLabels(name, List.of(labels))));
    }

    /** Adds a label to an enum type; a label already there is a skip, and so is a missing type. */
    public Outcome addEnumValue(String type, String label) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(type, "type name");
        String sql = "ALTER TYPE " + name.sql() + " ADD VALUE " + Literal.quote(label);
        return run(Operation.typed("add value " + label + " to enum type " + name, sql, BOTH));
    }

    private Outcome addConstraint(String table, String name, String kind, String definition) throws SafeOpsException {
        QualifiedName target = QualifiedName.parse(table, "table name");
        String sql = alterTable(target) + " ADD CONSTRAINT " + Identifier.quote(name, "constraint name") + " " + definition;
        return run(Operation.typed("add " + kind + " " + name + " on " + target, sql, BOTH)
                .wanting(Wanted.constraint(target, name, definition)));
    }

    private Outcome alterColumn(String table, String column, String verb, String clause) throws SafeOpsException {
        QualifiedName name = QualifiedName.parse(table, "table name");
        Identifier.checked(column, "column name");
        return run(Operation.typed(verb + " " + name + "." + column, alterTable(name) + " " + clause, MISSING));
    }

    private static String columnClause(String column) {
        return "ALTER COLUMN " + Identifier.quote(column, "column name");
    }

    private static String alterTable(QualifiedName table) {
        return "ALTER TABLE " + table.sql();
    }

    /** Runs a typed operation, located at the caller's source line. */
    private Outcome run(Operation operation) throws SafeOpsException {
        Location caller = Caller.location();
        return guard().run(new Guard.Step(operation.at(caller), caller, null, -1));
    }

    private Outcome runConcurrently(Operation operation, Index index) throws SafeOpsException {
        Location caller = Caller.location();
        return ConcurrentIndex.run(guard(), connection, new Guard.Step(operation.at(caller), caller, null, -1),
                QualifiedName.parse(index.table(), "table name"), index.effectiveName());
    }

    private Guard guard() throws SafeOpsException {
        if (guard == null) {
            try {
                guard = new Guard(connection, Channel.on(connection), policy, recorder, settings);
            } catch (SQLException e) {
                throw new SafeOpsException(SafeOpsException.Kind.CONNECTION_LOST, "the connection cannot be used: "
                        + e.getMessage(), e.getSQLState(), null, null, Caller.location(), SafeOpsException.After.CLOSED,
                        e);
            }
        }
        return guard;
    }
}
