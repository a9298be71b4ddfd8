package dev.safeops;

import dev.safeops.SafeOpsException.After;
import dev.safeops.SafeOpsException.Kind;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a script's destructive and risky statements with the live catalog before any of them
 * runs, in one query for the whole script: a statement that would destroy data is refused unless
 * its object is accepted ({@link Settings#acceptedDataLoss()}); an operation that locks or rewrites
 * a large table becomes a warning on its outcome, or, with {@link Settings#failOnRisk()}, a refusal.
 *
 * <p>Cost, in round trips: none when no statement of the script is destructive or risky (decided
 * from the statements' text). One, before the script, when a statement is destructive, when risks
 * are refused rather than reported, or in autocommit mode; that look-up runs in a savepoint (a
 * transaction of its own in autocommit mode) under a statement timeout, and falls back on the
 * planner's estimates when counting takes longer. None either when the only findings would be
 * warnings inside a transaction: then the catalog query travels ahead of the script's first
 * statements, in the same round trip, and reads nothing but the catalog.
 *
 * <p>The catalog is read as it is before the script's first statement runs: a table that is
 * absent then (the script creates it) is empty, and a statement on an object that is absent is
 * left to the tolerance rules.
 */
final class Preflight {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    private static final String SAVEPOINT = "safe_ops_check";
    private static final String SEPARATOR = "\u001f";
    /** The relations other sessions hold or await an ACCESS EXCLUSIVE lock on, read once per look-up. */
    private static final String LOCKED = "safe_ops_locked";
    private static final List<String> SERVER = List.of("pg_catalog.current_setting('server_version_num')",
            "pg_catalog.current_setting('TimeZone')");

    private final Connection connection;
    private final Channel channel;
    private final Settings settings;
    private final Recorder recorder;
    /** Risks whose catalog question goes ahead of the next statements sent, with it. */
    private List<Finding<RiskyOperation>> armed = List.of();

    Preflight(Connection connection, Channel channel, Settings settings, Recorder recorder) {
        this.connection = connection;
        this.channel = channel;
        this.settings = settings;
        this.recorder = recorder;
    }

    /** A statement and one thing found in it. */
    private record Finding<T>(Guard.Step step, T found) {
    }

    /**
     * Refuses what would destroy data (and, with fail-on-risk, what is risky) before anything of
     * the steps is sent, and arranges for the risks to be reported on their outcomes.
     */
    void check(List<Guard.Step> steps, boolean autoCommit) throws SafeOpsException {
        armed = List.of();
        recorder.forgetPending();
        List<Finding<Destruction>> destructions = new ArrayList<>();
        List<Finding<RiskyOperation>> risks = new ArrayList<>();
        List<StatementShape> earlier = new ArrayList<>();
        for (Guard.Step step : steps) {
            StatementShape shape = step.operation().shape();
            for (Destruction destruction : Destruction.in(shape)) {
                Optional<String> renamed = Renames.into(destruction, earlier);
                if (renamed.isPresent()) {
                    refuseRenamed(step, destruction, renamed.get(), autoCommit);
                }
                destructions.add(new Finding<>(step, destruction));
            }
            RiskyOperation.in(shape, earlier).stream().filter(this::versionMayMatter)
                    .forEach(r -> risks.add(new Finding<>(step, r)));
            earlier.add(shape);
        }
        if ((destructions.isEmpty() && risks.isEmpty()) || !onPostgresql()) {
            return;
        }
        if (destructions.isEmpty() && !settings.failOnRisk() && !autoCommit) {
            armed = risks;
            return;
        }
        LookUp answers = ask(steps.get(0), destructions, risks, autoCommit);
        List<String> values = answers.values();
        Map<Guard.Step, List<String>> warnings = judgeRisks(risks, values.subList(SERVER.size()
                + 3 * destructions.size(), values.size()), values);
        refuseDataLoss(destructions, answers, autoCommit);
        if (settings.failOnRisk() && !warnings.isEmpty()) {
            Map.Entry<Guard.Step, List<String>> first = warnings.entrySet().iterator().next();
            Guard.Step step = first.getKey();
            throw new SafeOpsException(Kind.RISK, "refused under fail-on-risk: " + String.join("; ", first.getValue())
                    + others(warnings.size() - 1, "risky") + ". Nothing of the script was sent", null, step.sql(),
                    step.operation().description(), step.location(), autoCommit ? After.AUTOCOMMIT : After.UNCHANGED,
                    null);
        }
        warnings.forEach(this::warn);
    }

    /**
     * Whether the connection says it is PostgreSQL's (pgjdbc answers without asking the server); the
     * look-up is PostgreSQL's SQL, and a stand-in connection that cannot tell is not a database.
     */
    private boolean onPostgresql() {
        try {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException | RuntimeException unknown) {
            LOG.debug("safe-ops cannot tell which database this connection is to ({}): no catalog look-up", unknown
                    .toString());
            return false;
        }
    }

    /**
     * Whether the server's version may make this operation risky: a concurrent index build only is
     * on PostgreSQL 14.0 to 14.3, which the driver knows without asking the server.
     */
    private boolean versionMayMatter(RiskyOperation risk) {
        if (!(risk.condition() instanceof RiskyOperation.BrokenConcurrentBuild)) {
            return true;
        }
        try {
            DatabaseMetaData server = connection.getMetaData();
            return server.getDatabaseMajorVersion() == 14 && server.getDatabaseMinorVersion() < 4;
        } catch (SQLException | RuntimeException unknown) {
            return true; // the catalog query tells
        }
    }

    /**
     * Sends every statement as its own message ({@link Channel#sendEach}), with the armed risk look-up
     * ahead of them when there is one; the answers are as if the statements had gone alone.
     */
    Answers sendEach(List<String> statements) throws SQLException {
        Armed lookUp = disarm();
        if (lookUp == null) {
            return channel.sendEach(statements);
        }
        Answers answers = channel.sendEach(lookUp.ahead(statements));
        if (answers.size() == 0 || answers.get(0).failed()) {
            throw sizesLookUpFailed(answers.size() == 0 ? answers.driverError() : answers.get(0).error());
        }
        judge(lookUp, answers.get(0).firstValue());
        return new Answers(answers.answers().subList(1, answers.size()), answers.driverError());
    }

    /**
     * Sends the statements, with the armed risk look-up ahead of them when there is one; the
     * exchange is answered as if the statements had gone alone.
     */
    Exchange send(List<String> statements) throws SQLException {
        Armed lookUp = disarm();
        if (lookUp == null) {
            return channel.send(statements);
        }
        Exchange exchange = channel.send(lookUp.ahead(statements));
        if (exchange.completed() == 0) {
            throw sizesLookUpFailed(exchange.error());
        }
        judge(lookUp, exchange.firstValue(0));
        Map<Integer, String> shifted = new HashMap<>();
        exchange.firstValues().forEach((index, value) -> {
            if (index > 0) {
                shifted.put(index - 1, value);
            }
        });
        return new Exchange(exchange.completed() - 1, exchange.error(), exchange.raisedByDriver(), shifted);
    }

    /** The risk look-up armed to travel ahead of the next statements, once; null when there is none. */
    private Armed disarm() {
        if (armed.isEmpty()) {
            return null;
        }
        List<Finding<RiskyOperation>> risks = armed;
        armed = List.of();
        return new Armed(risks, query(questions(List.of(), risks, false)));
    }

    /** Risks to judge, and the look-up that answers them. */
    private record Armed(List<Finding<RiskyOperation>> risks, Asked asked) {

        List<String> ahead(List<String> statements) {
            List<String> all = new ArrayList<>(statements.size() + 1);
            all.add(asked.sql());
            all.addAll(statements);
            return all;
        }
    }

    private static SQLException sizesLookUpFailed(SQLException error) {
        return new LookUpFailure(error == null ? "no answer" : error.getMessage(),
                error == null ? null : error.getSQLState(), error);
    }

    /**
     * The risk look-up that travelled ahead of a round trip failed: the statements sent with it did
     * not run (the failure aborted the transaction before them), and none of them is to blame.
     */
    static final class LookUpFailure extends SQLException {
        private static final long serialVersionUID = 1L;

        private LookUpFailure(String message, String sqlState, SQLException cause) {
            super(message, sqlState, cause);
        }
    }

    /** Judges the armed risks with the look-up's answer, and warns about those that are risky here. */
    private void judge(Armed lookUp, String answer) throws SQLException {
        List<String> answers = lookUp.asked().answers(answer);
        judgeRisks(lookUp.risks(), answers.subList(SERVER.size(), answers.size()), answers).forEach(this::warn);
    }

    private void warn(Guard.Step step, List<String> warnings) {
        for (String warning : warnings) {
            LOG.warn("safe-ops risk {} {}: {} — statement: {}", step.location(), step.operation().description(),
                    warning, step.sql());
        }
        recorder.warn(step, warnings);
    }

    /**
     * Asks every question in one query, in a savepoint (a transaction in autocommit mode) under the
     * statement timeout; when the query fails, the planner's estimates instead. The answers start
     * with the server's, then three per destruction, then two per risk.
     */
    private LookUp ask(Guard.Step first, List<Finding<Destruction>> destructions,
                             List<Finding<RiskyOperation>> risks, boolean autoCommit) throws SafeOpsException {
        String timeout = "SET LOCAL statement_timeout = " + settings.dataLossCheckTimeout().toMillis();
        List<String> undo = autoCommit ? List.of("ROLLBACK")
                : List.of("ROLLBACK TO SAVEPOINT " + SAVEPOINT, "RELEASE SAVEPOINT " + SAVEPOINT);
        List<String> statements = new ArrayList<>();
        statements.add(autoCommit ? "BEGIN" : "SAVEPOINT " + SAVEPOINT);
        statements.add(timeout);
        Asked asked = query(questions(destructions, risks, false));
        statements.add(asked.sql());
        statements.addAll(undo);
        Exchange exchange = send(first, statements);
        if (!exchange.failed()) {
            return new LookUp(answers(first, asked, exchange.firstValue(2), autoCommit), null);
        }
        if (exchange.completed() != 2) {
            throw lookUpFailed(first, exchange.error(), exchange.completed() < 2 ? after(autoCommit) : After.ABORTED);
        }
        SQLException why = exchange.error();
        List<String> fallback = new ArrayList<>(undo);
        Asked estimating = query(questions(destructions, risks, true));
        fallback.add(estimating.sql());
        Exchange estimated = send(first, fallback);
        if (estimated.failed()) {
            throw lookUpFailed(first, estimated.error(), estimated.completed() < undo.size() ? After.ABORTED
                    : after(autoCommit));
        }
        String reason = "57014".equals(why.getSQLState())
                ? "counting did not finish within the " + settings.dataLossCheckTimeout().toMillis() + " ms statement "
                        + "timeout (a large or locked table)"
                : "counting failed (SQLSTATE " + why.getSQLState() + ": " + Judge.serverMessage(why) + ")";
        return new LookUp(answers(first, estimating, estimated.firstValue(undo.size()), autoCommit), reason);
    }

    /**
     * What the catalog answered, in question order; with the reason when the counts are the
     * planner's estimates.
     */
    private record LookUp(List<String> values, String estimatedBecause) {
    }

    private static List<String> answers(Guard.Step first, Asked asked, String answer, boolean autoCommit)
            throws SafeOpsException {
        try {
            return asked.answers(answer);
        } catch (SQLException e) {
            throw lookUpFailed(first, e, after(autoCommit));
        }
    }

    private static After after(boolean autoCommit) {
        return autoCommit ? After.AUTOCOMMIT : After.UNCHANGED;
    }

    private Exchange send(Guard.Step step, List<String> statements) throws SafeOpsException {
        try {
            return channel.send(statements);
        } catch (SQLException e) {
            throw lookUpFailed(step, e, After.CLOSED);
        }
    }

    private static SafeOpsException lookUpFailed(Guard.Step step, SQLException e, After after) {
        return new SafeOpsException(ErrorClass.isConnectionLoss(e.getSQLState()) ? Kind.CONNECTION_LOST
                : Kind.GUARD_FAILED, "safe-ops' catalog look-up of what the script would destroy or lock failed with "
                + "SQLSTATE " + e.getSQLState() + ": " + Judge.serverMessage(e) + "; nothing of the script was sent",
                e.getSQLState(), null, null, step.location(), after, e);
    }

    private static List<Question> questions(List<Finding<Destruction>> destructions,
                                            List<Finding<RiskyOperation>> risks, boolean estimates) {
        List<Question> questions = new ArrayList<>();
        SERVER.forEach(sql -> questions.add(Question.of(sql)));
        for (Finding<Destruction> finding : destructions) {
            Destruction d = finding.found();
            questions.add(Question.of(d.schema()));
            questions.add(Question.of(estimates ? d.estimate() : d.count()));
            questions.add(Question.of(d.dependents()));
        }
        for (Finding<RiskyOperation> finding : risks) {
            questions.add(Question.sizeOf(finding.found().table()));
            questions.add(Question.of(finding.found().condition().question()));
        }
        return questions;
    }

    /**
     * One value the look-up answers: a SQL expression, or the size of a table (a {@code regclass}
     * expression), which is read with every other table's in one scan.
     */
    private record Question(String sql, String sizeOf) {

        static Question of(String sql) {
            return new Question(sql == null ? "NULL" : sql, null);
        }

        static Question sizeOf(String table) {
            return new Question(null, table);
        }
    }

    /**
     * One query answering every question, in one row of text: each distinct question once, then
     * the tables' sizes from one scan of {@code pg_class} (statements on one table share its size),
     * with the relations other sessions lock exclusively read once for all of them. A script of
     * hundreds of risky statements costs one small plan, not hundreds of subqueries; an array
     * rather than a chain of {@code ||}, since thousands of operands would nest deeper than the
     * server's stack allows.
     */
    private static Asked query(List<Question> questions) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        Map<String, Integer> tables = new LinkedHashMap<>();
        for (Question question : questions) {
            if (question.sizeOf() == null) {
                distinct.putIfAbsent(question.sql(), distinct.size());
            } else {
                tables.putIfAbsent(question.sizeOf(), tables.size());
            }
        }
        int[] answerOf = questions.stream().mapToInt(question -> question.sizeOf() == null
                ? distinct.get(question.sql()) : distinct.size() + tables.get(question.sizeOf())).toArray();
        String asked = distinct.keySet().stream().map(sql -> withoutSeparator("(" + sql + ")::text"))
                .collect(Collectors.joining(", "));
        String sizes = tables.isEmpty() ? "" : " || coalesce((SELECT array_agg(" + withoutSeparator(SIZE)
                + " ORDER BY u.i) FROM "
                + "unnest(ARRAY[" + String.join(", ", tables.keySet()) + "]::pg_catalog.regclass[]) WITH ORDINALITY "
                + "u(r, i) LEFT JOIN pg_catalog.pg_class c ON c.oid = u.r), '{}')";
        String sql = "WITH " + LOCKED + " AS MATERIALIZED (SELECT l.relation FROM pg_catalog.pg_locks l WHERE "
                + "l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = "
                + "pg_catalog.current_database()) AND l.mode = 'AccessExclusiveLock' AND l.pid <> "
                + "pg_catalog.pg_backend_pid()) SELECT pg_catalog.array_to_string(ARRAY[" + asked + "]::text[]" + sizes
                + ", chr(31), '')";
        return new Asked(sql, distinct.size() + tables.size(), answerOf);
    }

    /** The look-up's query, and where each question's answer is in the row it returns. */
    private record Asked(String sql, int values, int[] answerOf) {

        /** The answers in question order, NULL as empty. */
        List<String> answers(String row) throws SQLException {
            List<String> values = split(row, this.values);
            return Arrays.stream(answerOf).mapToObj(values::get).toList();
        }
    }

    private static List<String> split(String answer, int expected) throws SQLException {
        List<String> answers = answer == null ? List.of() : List.of(answer.split(SEPARATOR, -1));
        if (answers.size() != expected) {
            throw new SQLException("safe-ops' catalog look-up answered " + answers.size() + " values to " + expected
                    + " questions", "XX000");
        }
        return answers;
    }

    /**
     * The estimated rows, size in bytes and name of the table in row {@code c} of {@code pg_class},
     * or NULL when it is absent. The size is {@code pg_relation_size}, unless another session holds
     * or awaits an ACCESS EXCLUSIVE lock on the table (the function would wait for it): then the
     * pages the planner knows of; for a partitioned table, its partitions' pages.
     */
    private static final String SIZE = "CASE WHEN c.oid IS NOT NULL THEN c.reltuples::bigint::text || ' ' || (CASE "
            + "WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(x.relpages), 0)::bigint FROM pg_catalog.pg_inherits i "
            + "JOIN pg_catalog.pg_class x ON x.oid = i.inhrelid WHERE i.inhparent = c.oid) * "
            + "pg_catalog.current_setting('block_size')::bigint WHEN c.oid IN (SELECT relation FROM " + LOCKED + ") "
            + "THEN c.relpages::bigint * pg_catalog.current_setting('block_size')::bigint ELSE "
            + "pg_catalog.pg_relation_size(c.oid) END)::text || ' ' || c.oid::pg_catalog.regclass::text END";

    /** The warnings of the risky operations, by statement, in script order; two answers per risk. */
    private Map<Guard.Step, List<String>> judgeRisks(List<Finding<RiskyOperation>> risks, List<String> answers,
                                                     List<String> all) {
        int version = Integer.parseInt(all.get(0));
        boolean utc = List.of("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu",
                "GMT", "Etc/GMT", "Etc/GMT0", "GMT0", "Greenwich").contains(all.get(1));
        Map<Guard.Step, List<String>> warnings = new LinkedHashMap<>();
        for (int i = 0; i < risks.size(); i++) {
            String size = answers.get(2 * i);
            if (size.isEmpty()) {
                continue; // the table is absent: the tolerance rules judge the statement
            }
            String[] parts = size.split(" ", 3);
            long rows = Long.parseLong(parts[0]);
            long bytes = Long.parseLong(parts[1]);
            String fact = answers.get(2 * i + 1).isEmpty() ? null : answers.get(2 * i + 1);
            RiskyOperation risk = risks.get(i).found();
            if (risk.risky(bytes, fact, version, utc, settings.largeTableBytes())) {
                String server = risk.condition() instanceof RiskyOperation.BrokenConcurrentBuild
                        ? " on PostgreSQL " + (version / 10000) + "." + (version % 100) : "";
                warnings.computeIfAbsent(risks.get(i).step(), s -> new ArrayList<>()).add(risk.rule() + server + ": "
                        + parts[2] + " (" + describe(rows, bytes) + ") — takes " + risk.lock() + " " + risk.effect()
                        + ". Safe recipe: " + risk.recipe());
            }
        }
        return warnings;
    }

    /** Throws for the first statement that would destroy data of an object not accepted. */
    private void refuseDataLoss(List<Finding<Destruction>> destructions, LookUp answered, boolean autoCommit)
            throws SafeOpsException {
        List<String> answers = answered.values();
        Guard.Step refused = null;
        List<String> losses = new ArrayList<>();
        int others = 0;
        for (int i = 0; i < destructions.size(); i++) {
            String schema = answers.get(SERVER.size() + 3 * i);
            String count = answers.get(SERVER.size() + 3 * i + 1);
            String dependents = answers.get(SERVER.size() + 3 * i + 2);
            if (schema.isEmpty() && count.isEmpty()) {
                continue; // absent: the tolerance rules judge it
            }
            Destruction d = destructions.get(i).found();
            Guard.Step step = destructions.get(i).step();
            String loss = loss(d, count, dependents, answered.estimatedBecause());
            if (loss == null) {
                continue;
            }
            if (accepted(d, schema)) {
                LOG.info("safe-ops {} {}: accepted data loss: {}", step.location(), step.operation().description(), loss);
                continue;
            }
            if (refused == null || refused == step) {
                refused = step;
                losses.add(loss);
            } else {
                others++;
            }
        }
        if (refused == null) {
            return;
        }
        Guard.Step blamed = refused;
        Destruction first = destructions.stream().filter(f -> f.step() == blamed).findFirst().orElseThrow().found();
        throw new SafeOpsException(Kind.DATA_LOSS, "refused " + first.statement() + ": it would destroy "
                + String.join("; and ", losses) + others(others, "destructive") + ". Nothing of the script was sent. "
                + howToAccept(first), null, refused.sql(), refused.operation().description(), refused.location(),
                after(autoCommit), null);
    }

    /**
     * A destructive statement on a name an earlier statement of the script renamed something to:
     * the catalog, read before the script, knows the data under the old name only, so the loss is
     * refused unless accepted.
     */
    private void refuseRenamed(Guard.Step step, Destruction destruction, String renamed, boolean autoCommit)
            throws SafeOpsException {
        if (accepted(destruction, "")) {
            return;
        }
        throw new SafeOpsException(Kind.DATA_LOSS, "refused " + destruction.statement() + ": it would destroy the data "
                + "of " + destruction.object() + ", which the script itself renamed (" + renamed + "), so safe-ops cannot "
                + "count it before the script runs. Nothing of the script was sent. " + howToAccept(destruction), null,
                step.sql(), step.operation().description(), step.location(), after(autoCommit), null);
    }

    private static String howToAccept(Destruction destruction) {
        String name = String.join(".", destruction.spellings("").get(0));
        return "If the loss is intended, accept it for this object: --accept-data-loss " + name
                + " (library: Settings.withAcceptedDataLoss(\"" + name + "\"))";
    }

    private boolean accepted(Destruction destruction, String schema) {
        List<List<String>> spellings = destruction.spellings(schema);
        return settings.acceptedDataLoss().stream().map(ObjectName::parse).anyMatch(name -> name.namesAnyOf(spellings));
    }

    /** What would be lost, in words, or null when nothing would. */
    private static String loss(Destruction d, String count, String dependents, String estimatedBecause) {
        List<String> parts = new ArrayList<>();
        if (!count.isEmpty()) {
            long n = Long.parseLong(count);
            if (estimatedBecause != null) {
                parts.add((n < 0 ? "an unknown number of " : "about " + n + " ") + d.unit() + " of " + d.object()
                        + " (a planner estimate: " + estimatedBecause + ")");
            } else if (n > Destruction.COUNT_LIMIT) {
                parts.add("more than " + Destruction.COUNT_LIMIT + " " + d.unit() + " of " + d.object());
            } else if (n > 0) {
                parts.add(n + " " + (n == 1 ? singular(d.unit()) : d.unit()) + " of " + d.object());
            }
        }
        if (!dependents.isEmpty()) {
            parts.add((parts.isEmpty() ? d.object() + ", and" : "and") + " drop with CASCADE what depends on it: "
                    + dependents);
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    /** {@code about 40000000 rows, 3.2 GB}; rows are unknown until the table was first analyzed. */
    static String describe(long rows, long bytes) {
        String size = bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : bytes >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20))
                : bytes >= 1L << 10 ? (bytes >> 10) + " kB" : bytes + " bytes";
        return (rows < 0 ? "rows not yet counted by ANALYZE" : "about " + rows + (rows == 1 ? " row" : " rows"))
                + ", " + size;
    }

    private static String singular(String unit) {
        return unit.replace("rows", "row").replace("values", "value");
    }

    private static String others(int count, String what) {
        return count == 0 ? "" : " (and " + count + " more " + what + (count == 1 ? " statement" : " statements") + ")";
    }

    /**
     * The text answer with the separator the answers are joined with replaced: a quoted name can hold
     * it, and in a warning it stands for itself no more than a '?' would.
     */
    private static String withoutSeparator(String text) {
        return "pg_catalog.translate(" + text + ", chr(31), '?')";
    }

}
