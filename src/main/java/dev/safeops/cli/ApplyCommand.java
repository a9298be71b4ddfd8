package dev.safeops.cli;

import dev.safeops.InvalidScriptException;
import dev.safeops.Plan;
import dev.safeops.Policy;
import dev.safeops.Settings;
import dev.safeops.Settings.LockRetries;
import dev.safeops.Tolerance;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code safe-ops apply}: runs plain SQL files in one transaction, every statement guarded. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Runs SQL files in order in one transaction, each statement in its own savepoint: a statement "
                + "that fails because its object is missing or already exists is skipped and reported, everything "
                + "else is kept. Any other error rolls the whole transaction back.",
                "Statements run in file order. One PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY, "
                        + "VACUUM, …) ends the transaction before it with a commit, runs on its own, and the statements "
                        + "after it run in a new transaction; the output says where each commit happened."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  committed (or dry run completed)",
                "  1  a statement failed with an error not tolerated: its transaction was",
                "     rolled back (transactions committed before it, ahead of a statement",
                "     that cannot run in a transaction, stay committed)",
                "  1  (also) the report could not be written: the message says whether the",
                "     transaction was committed",
                "  2  usage, connection or input error, or the migration lock was not free",
                "     within --lock-wait: nothing was sent"})
final class ApplyCommand implements Callable<Integer> {

    /** PGPROC_MAX_CACHED_SUBXIDS in PostgreSQL. */
    static final int SUBTRANSACTION_CACHE = 64;
    /**
     * The most statements the library lets share a savepoint: a group never spans two round trips,
     * and a round trip holds 251 statements besides its SAVEPOINT, RELEASE and a pending rollback.
     */
    static final int MAX_STATEMENTS_PER_SAVEPOINT = 251;

    /** The values of {@code --tolerate}. */
    enum Tolerate {
        MISSING(Tolerance.MISSING), EXISTS(Tolerance.EXISTING), NONE(null);

        private final Tolerance tolerance;

        Tolerate(Tolerance tolerance) {
            this.tolerance = tolerance;
        }
    }

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--strict", description = "Tolerate nothing: the first error of any kind rolls everything back.")
    private boolean strict;

    @Option(names = "--tolerate", split = ",", paramLabel = "missing|exists|none",
            description = "Which errors become skips (default: missing and exists). Repeatable or comma-separated.")
    private List<Tolerate> tolerate = new ArrayList<>();

    @Option(names = "--optional", paramLabel = "PATTERN",
            description = {"Tolerate a missing object only for tables matching this glob (* and ?), e.g. 'pipeline_*';"
                    + " a missing table matching no pattern fails. Repeatable."})
    private List<String> optional = new ArrayList<>();

    @Option(names = "--statements-per-savepoint", paramLabel = "N", defaultValue = "1",
            description = {"Let up to N consecutive statements share one savepoint (default 1, at most "
                    + MAX_STATEMENTS_PER_SAVEPOINT + "). PostgreSQL caches 64 "
                    + "subtransactions per transaction; past them every concurrent snapshot slows down until the "
                    + "transaction ends. Outcomes stay the same: a group with a failing statement is rolled back and "
                    + "replayed one statement per savepoint, so its other statements run twice (harmless for DDL, "
                    + "visible in sequences)."})
    private int statementsPerSavepoint;

    @Option(names = "--production",
            description = {"Wait for locks as production needs: each statement waits at most 100ms for its lock, "
                    + "and a statement that could not get it is rolled back to its savepoint and retried up to 9 "
                    + "times, waiting twice as long each time up to 1s, sleeping 50ms-1s in between, at most 10s in "
                    + "all; then the run fails naming the sessions in the way. --lock-timeout and --lock-retries "
                    + "change the numbers."})
    private boolean production;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = PostgresDuration.class,
            description = {"How long each statement may wait for a lock (lock_timeout), e.g. 100ms, 2s, 1min. A "
                    + "statement waiting for a lock makes every later query on the table wait behind it. Default: "
                    + "the session's own lock_timeout (100ms with --production)."})
    private Duration lockTimeout;

    @Option(names = "--lock-retries", paramLabel = "N",
            description = {"Retry a statement whose lock wait timed out up to N times, each time rolled back to its "
                    + "savepoint, after a sleep of 50ms-1s with jitter, and with a lock timeout twice as long as the "
                    + "last (up to 1s, or --lock-timeout if longer). Locks taken by earlier statements stay held "
                    + "meanwhile. Needs --lock-timeout or --production. Default: 0 (9 with --production)."})
    private Integer lockRetries;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = PostgresDuration.class,
            description = "The longest each statement may run (statement_timeout), e.g. 30s, 5min. Default: the "
                    + "session's own statement_timeout.")
    private Duration statementTimeout;

    @Option(names = "--dry-run",
            description = "Run the first transaction, then roll back. Not run: statements that cannot run in a "
                    + "transaction and everything after them, and statements whose effects survive a rollback "
                    + "(setval, nextval, advisory locks, COPY to a file, …).")
    private boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE", description = "Write every statement's result as JSON to FILE.")
    private Path report;

    @Option(names = "--no-lock",
            description = "Do not take the migration lock: runs started together on one database may then collide.")
    private boolean noLock;

    @Option(names = "--lock-key", paramLabel = "KEY", defaultValue = "" + MigrationLock.DEFAULT_KEY,
            description = {"The PostgreSQL advisory lock (a bigint) that lets one apply at a time run on a database. "
                    + "Default: ${DEFAULT-VALUE} (\"safe-ops\" in ASCII)."})
    private long lockKey;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "" + MigrationLock.DEFAULT_WAIT_SECONDS,
            description = "How long to wait for another run to release the lock before giving up with exit code 2. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int lockWaitSeconds;

    @Option(names = "--accept-data-loss", split = ",", paramLabel = "OBJECT",
            description = {"Let statements destroy the data of this object: table, schema.table, table.column or "
                    + "schema.table.column. Without it, a statement that would drop a non-empty table, a column holding "
                    + "values, truncate rows, drop dependents with CASCADE or change values with a type change is "
                    + "refused before anything is sent. Repeatable or comma-separated; there is no global switch."})
    private List<String> acceptDataLoss = new ArrayList<>();

    @Option(names = "--fail-on-risk",
            description = "Refuse, before anything is sent, a statement that would lock or rewrite a large table "
                    + "(reported as a warning otherwise).")
    private boolean failOnRisk;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "SQL files (UTF-8), run in the order given.")
    private List<Path> files;

    @Override
    public Integer call() {
        // Everything a user can get wrong is checked before connecting, so exit 2 means nothing was sent.
        Policy policy = policy();
        Settings settings = settings();
        checkReport();
        if (lockWaitSeconds < 0) {
            throw new CommandException(Main.NOT_STARTED, "--lock-wait must be 0 or more seconds, was " + lockWaitSeconds);
        }
        DatabaseUrl database = connection.databaseUrl(main.environment());
        Plan plan;
        try {
            plan = Plan.read(files);
        } catch (InvalidScriptException e) {
            throw new CommandException(Main.NOT_STARTED, e.getMessage() + " (nothing was sent)", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, plan.steps().size(), main.interactive());
        ApplyResult result = null;
        if (settings.lockTimeout() != null) {
            settings = settings.withBlockerLookup(blockerLookup(database));
        }
        try (Connection open = ConnectionOptions.connect(database)) {
            // Held until every statement has run, those after the commit included.
            try (MigrationLock held = noLock ? null : lock(open, err)) {
                result = new Execution(open, policy, settings, plan, progress).run(dryRun);
            }
        } catch (SQLException e) {
            if (result == null) {
                throw new CommandException(Main.NOT_STARTED, "cannot take the migration lock on " + database + ": "
                        + e.getMessage() + " (nothing was sent)", e);
            }
            // Otherwise only closing failed, once the result is known: the server has gone and holds nothing of ours.
        } finally {
            progress.clear();
        }
        print(result, plan, out, err);
        if (report != null) {
            try {
                JsonReport.write(report, result);
            } catch (IOException e) {
                err.println("safe-ops: could not write the report " + report + ": " + e.getMessage() + " ("
                        + (result.committed() ? "the transaction was committed and stays" : "nothing was committed")
                        + ")");
                return Main.FAILED;
            }
        }
        return result.exitCode();
    }

    /**
     * The statements' savepoints, lock and statement timeouts, lock retries, accepted data loss and
     * risk handling, from the options.
     */
    private Settings settings() {
        Settings settings = (production ? Settings.production() : Settings.defaults())
                .withOperationsPerSavepoint(statementsPerSavepoint).withFailOnRisk(failOnRisk);
        try {
            settings = settings.withAcceptedDataLoss(acceptDataLoss.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new CommandException(Main.NOT_STARTED, "--accept-data-loss: " + e.getMessage(), e);
        }
        if (lockTimeout != null) {
            settings = settings.withLockTimeout(lockTimeout);
        }
        if (lockRetries != null) {
            if (lockRetries < 0) {
                throw new CommandException(Main.NOT_STARTED, "--lock-retries must be 0 or more, was " + lockRetries);
            }
            if (lockRetries > 0 && settings.lockTimeout() == null) {
                throw new CommandException(Main.NOT_STARTED, "--lock-retries needs --lock-timeout (or --production): "
                        + "without a lock timeout a statement waits for its lock as long as the session's "
                        + "lock_timeout says, and there is nothing to retry");
            }
            // Given a number of retries, the user gets them all: only --production bounds the total time.
            settings = settings.withLockRetries(production ? settings.lockRetries().withRetries(lockRetries)
                    : LockRetries.production().withRetries(lockRetries).withBudget(ChronoUnit.FOREVER.getDuration()));
        }
        return statementTimeout == null ? settings : settings.withStatementTimeout(statementTimeout);
    }

    /** A second connection, opened only while a retried statement waits, finds the sessions in its way. */
    private static javax.sql.DataSource blockerLookup(DatabaseUrl database) {
        try {
            return database.dataSource("safe-ops lock look-up");
        } catch (SQLException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot use " + database + " for a second connection: "
                    + e.getMessage() + " (nothing was sent)", e);
        }
    }

    private MigrationLock lock(Connection open, PrintWriter err) throws SQLException {
        return MigrationLock.acquire(open, lockKey, Duration.ofSeconds(lockWaitSeconds), waiting -> {
            err.println("safe-ops: " + waiting);
            err.flush();
        });
    }

    /** A report that cannot be written would turn a committed run into exit code 1 after the fact. */
    private void checkReport() {
        if (report == null) {
            return;
        }
        Path absolute = report.toAbsolutePath();
        String problem = null;
        if (Files.isDirectory(absolute)) {
            problem = "it is a directory";
        } else if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
            problem = "its directory does not exist";
        } else if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(absolute.getParent())) {
            problem = "it is not writable";
        }
        if (problem != null) {
            throw new CommandException(Main.NOT_STARTED, "cannot write the report " + report + ": " + problem
                    + " (nothing was sent)");
        }
    }

    private Policy policy() {
        if (statementsPerSavepoint < 1 || statementsPerSavepoint > MAX_STATEMENTS_PER_SAVEPOINT) {
            throw new CommandException(Main.NOT_STARTED, "--statements-per-savepoint must be between 1 and "
                    + MAX_STATEMENTS_PER_SAVEPOINT + " (statements sharing a savepoint travel in one round trip), was "
                    + statementsPerSavepoint);
        }
        if (strict && !tolerate.isEmpty()) {
            throw new CommandException(Main.NOT_STARTED, "--strict and --tolerate contradict each other; give one");
        }
        if (tolerate.contains(Tolerate.NONE) && tolerate.size() > 1) {
            throw new CommandException(Main.NOT_STARTED, "--tolerate none cannot be combined with other values");
        }
        Policy policy = strict ? Policy.strict() : Policy.defaults();
        if (!tolerate.isEmpty()) {
            policy = policy.tolerating(tolerate.stream().map(t -> t.tolerance).filter(Objects::nonNull)
                    .toArray(Tolerance[]::new));
        }
        for (String pattern : optional) {
            if (pattern.isBlank()) {
                throw new CommandException(Main.NOT_STARTED, "--optional needs a table name pattern such as 'pipeline_*',"
                        + " was empty");
            }
        }
        return optional.isEmpty() ? policy : policy.withOptionalTables(optional.toArray(String[]::new));
    }

    /** Skips and failures always, statements run after the commit always, the rest only when asked. */
    private void print(ApplyResult result, Plan plan, PrintWriter out, PrintWriter err) {
        for (StatementResult statement : result.statements()) {
            StatementResult.Status status = statement.status();
            boolean shown = status == StatementResult.Status.SKIPPED || status == StatementResult.Status.FAILED
                    || statement.step().afterCommit() || statement.lockRetries() > 0
                    || (main.verbose() && status == StatementResult.Status.APPLIED);
            if (shown) {
                out.println(line(statement));
            }
            for (String warning : statement.warnings()) {
                out.println(String.format("%s  %-7s  %-5s  %s", statement.step().location(), "RISK", "", warning));
            }
        }
        String counts = result.count(StatementResult.Status.APPLIED) + " applied, "
                + result.count(StatementResult.Status.SKIPPED) + " skipped, "
                + result.count(StatementResult.Status.FAILED) + " failed, "
                + result.count(StatementResult.Status.NOT_RUN) + " not run ("
                + plan.steps().size() + (plan.steps().size() == 1 ? " statement in " : " statements in ")
                + plan.scriptCount() + (plan.scriptCount() == 1 ? " file, " : " files, ")
                + result.savepoints() + (result.savepoints() == 1 ? " savepoint" : " savepoints")
                + (result.lockRetries() == 0 ? ")" : ", " + retries(result.lockRetries()) + ")");
        String outcome;
        if (result.committed()) {
            outcome = result.error() == null ? "Committed" : "Committed, but a statement run after the commit failed";
        } else if (result.dryRun() && result.error() == null) {
            outcome = "Dry run complete, rolled back";
        } else {
            outcome = "Rolled back, nothing changed";
        }
        out.println(outcome + ": " + counts + ".");
        if (result.commits().size() > 1) {
            out.println("Commits: after " + result.commits().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(", after ")) + ".");
        }
        if (result.error() != null) {
            err.println("safe-ops: " + result.error());
        }
        if (result.lockRetries() > 0) {
            err.println("safe-ops: note: " + retries(result.lockRetries()) + " after lock timeouts; while a statement "
                    + "waited to be retried, the locks its transaction's earlier statements had taken stayed held.");
        }
        if (result.savepoints() > SUBTRANSACTION_CACHE) {
            SavepointAdvice.forRun((int) plan.steps().stream().filter(step -> !step.afterCommit()).count(), statementsPerSavepoint, result.savepoints())
                    .ifPresent(advice -> err.println("safe-ops: note: the transaction used " + result.savepoints()
                            + " savepoints; PostgreSQL caches " + SUBTRANSACTION_CACHE + " subtransactions per "
                            + "transaction, and past them every concurrent snapshot slows down until it ends. "
                            + advice));
        }
    }

    private static String line(StatementResult statement) {
        Plan.Step step = statement.step();
        String text = statement.message() != null ? statement.message() : step.sql().lines().findFirst().orElse("");
        return String.format("%s  %-7s  %-5s  %s%s%s", step.location(), statement.status(),
                statement.sqlState() == null ? "" : statement.sqlState(),
                step.afterCommit() ? "after the commit: " : "",
                statement.lockRetries() == 0 ? "" : "after " + retries(statement.lockRetries()) + ": ", text);
    }

    private static String retries(int count) {
        return count + (count == 1 ? " lock retry" : " lock retries");
    }
}
