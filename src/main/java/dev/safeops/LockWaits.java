package dev.safeops;

import dev.safeops.Settings.LockRetries;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock and statement timeouts per statement, and the retry of a statement whose lock wait timed
 * out (SQLSTATE 55P03 lock_not_available), as {@link Settings} asks.
 *
 * <p>In a transaction the timeouts are set inside the statement's savepoint with {@code
 * set_config(…, true)}, which lasts until the transaction ends unless a rollback to the savepoint
 * undoes it: so the caller's values are saved first (in placeholders of the transaction, {@code
 * safe_ops.lock_timeout} and {@code safe_ops.statement_timeout}) and set back right after the
 * statement, in the same round trip; a failed statement's rollback undoes all of it. {@code RESET}
 * would not do: it goes back to the session's default, wiping a value the caller set. In autocommit
 * mode each statement is its own transaction, so the timeouts are set for the session just before
 * it and the saved values set back just after it, whatever happened.
 *
 * <p>A retry rolls the statement back to its savepoint (releasing what it had locked), relaxes
 * {@code idle_in_transaction_session_timeout} for the transaction so that the sleep cannot end the
 * session (the rollback before the next attempt undoes that too), sleeps, and tries again with the
 * next, longer lock timeout. It is not made when the attempts or the budget would run out, or when
 * it would end past the transaction's {@code transaction_timeout} (PostgreSQL 17 and later): then
 * the statement fails, and the failure names the relation and the sessions it waited for.
 *
 * <p>One instance serves one {@link Guard}; like the connection, it is not thread-safe.
 */
final class LockWaits {

    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** What safe-ops keeps clear of the transaction's {@code transaction_timeout}: a round trip or two. */
    static final Duration TRANSACTION_TIMEOUT_MARGIN = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    private static final Set<String> TIMEOUT_SETTINGS = Set.of("lock_timeout", "statement_timeout");
    /**
     * After the rollback to the savepoint: no idle-in-transaction timeout until the next rollback,
     * and what the wait must stay under — the session's pid, the transaction_timeout in ms (absent
     * before PostgreSQL 17) and how long the transaction has been open, in ms.
     */
    private static final String RELAX = "SELECT set_config('idle_in_transaction_session_timeout', '0', true) || ' ' "
            + "|| pg_backend_pid() || ' ' || coalesce((SELECT setting FROM pg_settings WHERE name = "
            + "'transaction_timeout'), '0') || ' ' || (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint";

    /** Sends statements on the guarded connection, as {@link Guard} does. */
    interface Sender {
        Exchange send(List<String> statements) throws SafeOpsException;
    }

    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final LockRetries schedule;
    private final Recorder recorder;
    private final BlockerWatch watch;
    /** The statement whose lock wait timed out last, while it is being retried. */
    private Attempts current;
    /** The guarded session's pid, once a retry has asked for it. */
    private int pid = -1;

    LockWaits(Settings settings, Recorder recorder) {
        this.lockTimeout = settings.lockTimeout();
        this.statementTimeout = settings.statementTimeout();
        this.schedule = settings.lockRetries();
        this.recorder = recorder;
        this.watch = new BlockerWatch(settings.blockerLookup());
    }

    /** The most statements that go on each side of a unit's own: what a window must leave room for. */
    int mostAround() {
        return lockTimeout != null || statementTimeout != null ? 1 : 0;
    }

    /** How many statements go on each side of a unit's own: 1 when the timeouts are set around it, else 0. */
    int around(List<Guard.Step> unit) {
        return unit.stream().anyMatch(step -> setsTimeouts(step) || runsConcurrently(step)) ? 0 : mostAround();
    }

    /** Adds the unit's statements to {@code statements}, between the timeouts' setting and their restoring. */
    void compose(List<Guard.Step> unit, List<String> statements) {
        boolean timed = around(unit) == 1;
        if (timed) {
            statements.add(setInTransaction(unit.size() == 1 ? attemptsMade(unit.get(0)) : 0));
        }
        unit.forEach(step -> statements.add(step.sql()));
        if (timed) {
            statements.add(restoreInTransaction());
        }
    }

    /**
     * Autocommit: runs the step alone with the timeouts set for the session around it, retrying
     * after a lock timeout as the schedule allows; the caller's values are set back whatever
     * happens. Returns the last attempt's exchange.
     */
    Exchange runAlone(Guard.Step step, Sender sender) throws SafeOpsException {
        if (around(List.of(step)) == 0) {
            return sender.send(List.of(step.sql()));
        }
        Exchange saved = sender.send(List.of(setForSession()));
        if (saved.failed()) {
            return saved;
        }
        String[] previous = saved.firstValue(0).split(" ");
        try {
            while (true) {
                Exchange result = sender.send(List.of(step.sql()));
                Attempts attempts = failed(step, result.error());
                if (attempts == null || !attempts.mayRetry()) {
                    return result;
                }
                Exchange next = sender.send(List.of("SELECT pg_backend_pid() WHERE set_config('lock_timeout', "
                        + quoted(attempts.nextTimeout) + ", false) IS NOT NULL"));
                if (next.failed()) {
                    return result;
                }
                if (!sleep(step, attempts, Integer.parseInt(next.firstValue(0)), false)) {
                    return result;
                }
            }
        } finally {
            sender.send(List.of(restoreForSession(previous)));
        }
    }

    /**
     * In a transaction, after {@code step} failed alone in its savepoint: when the failure is a
     * lock timeout and the schedule allows another attempt, rolls back to the savepoint (the
     * statements of {@code rollback}), relaxes the idle timeout, sleeps, and returns true; the
     * caller then sends the rollback again (which undoes the relaxing) and the step. Otherwise
     * returns false and the failure is judged as any other.
     */
    boolean retry(Guard.Step step, SQLException error, List<String> rollback, Sender sender)
            throws SafeOpsException {
        Attempts attempts = failed(step, error);
        if (attempts == null || !attempts.mayRetry()) {
            return false;
        }
        List<String> statements = new ArrayList<>(rollback);
        statements.add(RELAX);
        Exchange relaxed = sender.send(statements);
        if (relaxed.failed()) {
            attempts.stopped = "rolling back to retry failed (SQLSTATE " + relaxed.error().getSQLState() + "): "
                    + Judge.serverMessage(relaxed.error());
            return false;
        }
        String[] facts = relaxed.firstValue(rollback.size()).split(" ");
        int pid = Integer.parseInt(facts[1]);
        Duration transactionTimeout = Duration.ofMillis(Long.parseLong(facts[2]));
        Duration open = Duration.ofMillis(Long.parseLong(facts[3]));
        if (!transactionTimeout.isZero()) {
            Duration end = open.plus(attempts.nextSleep).plus(attempts.nextTimeout).plus(TRANSACTION_TIMEOUT_MARGIN);
            if (end.compareTo(transactionTimeout) > 0) {
                attempts.stopped = "another attempt would end past the transaction's transaction_timeout of "
                        + seconds(transactionTimeout) + " (the transaction has been open for " + seconds(open)
                        + "), and PostgreSQL would end the session: safe-ops stops short of it";
                return false;
            }
        }
        return sleep(step, attempts, pid, true);
    }

    /**
     * What a failure of a statement adds to its reason, and how many lock retries came before it.
     *
     * @param text for a lock timeout, the attempts made and why they stopped, and the relation
     *     and the sessions it waited for, starting with "; "; otherwise empty
     */
    record Explanation(String text, int retries) {
    }

    /** Explains a failure of {@code step} with {@code sqlState}; forgets the step's attempts. */
    Explanation explain(Guard.Step step, String sqlState) {
        int retries = recorder.lockRetries(step);
        Attempts attempts = current != null && current.step == step ? current : null;
        current = null;
        if (!LOCK_NOT_AVAILABLE.equals(sqlState)) {
            return new Explanation("", retries);
        }
        watch.stop();
        StringBuilder text = new StringBuilder();
        if (attempts == null) {
            text.append("; the lock wait timed out");
        } else {
            text.append("; gave up after ").append(attempts.made).append(attempts.made == 1 ? " attempt" : " attempts")
                    .append(" (").append(retries).append(retries == 1 ? " lock retry" : " lock retries")
                    .append(", lock timeouts ").append(attempts.timeouts.stream().map(LockWaits::milliseconds)
                            .collect(Collectors.joining(", ")))
                    .append(", ").append(seconds(attempts.elapsed())).append(" in all): ").append(attempts.stopped);
        }
        text.append(". ").append(blockers(step));
        return new Explanation(text.toString(), retries);
    }

    private String blockers(Guard.Step step) {
        Optional<BlockerWatch.Wait> seen = watch.seen();
        if (seen.isPresent()) {
            BlockerWatch.Wait wait = seen.get();
            return "It waited for " + (wait.relation() != null ? "relation " + wait.relation()
                    : "a row or transaction lock") + ", held by " + wait.blockers().stream()
                    .map(BlockerWatch.Blocker::toString).collect(Collectors.joining("; "));
        }
        Optional<QualifiedName> named = SkipRule.relationActedOn(step.operation().shape());
        if (named.isPresent() && pid > 0 && watch.failure().isEmpty()) {
            Optional<BlockerWatch.Wait> holders = watch.holders(named.get().sql(), pid);
            if (holders.isPresent()) {
                return "It waited for relation " + named.get() + " (from the statement; the wait was too short to "
                        + "watch), where these sessions hold locks: " + holders.get().blockers().stream()
                        .map(BlockerWatch.Blocker::toString).collect(Collectors.joining("; "));
            }
        }
        String relation = named
                .map(name -> "It waited for a lock, most likely on relation " + name + " (from the statement)")
                .orElse("It waited for a lock (which relation cannot be told from the statement)");
        String why;
        if (!watch.available()) {
            why = "no connection to look them up was given (Settings.withBlockerLookup)";
        } else if (watch.failure().isPresent()) {
            why = watch.failure().get();
        } else if (schedule.retries() == 0) {
            why = "they are looked up only while a statement is retried, and no retries are configured";
        } else {
            why = "none was seen while the last attempt waited";
        }
        return relation + "; the blocking sessions could not be listed: " + why;
    }

    /** The step's attempts, counting the one that just failed, when it failed for its lock; else null. */
    private Attempts failed(Guard.Step step, SQLException error) {
        if (error == null || !LOCK_NOT_AVAILABLE.equals(error.getSQLState()) || lockTimeout == null) {
            return null;
        }
        if (current == null || current.step != step) {
            current = new Attempts(step);
        }
        current.failedOnce();
        return current;
    }

    private int attemptsMade(Guard.Step step) {
        return current != null && current.step == step ? current.made : 0;
    }

    private boolean sleep(Guard.Step step, Attempts attempts, int pid, boolean inTransaction) {
        this.pid = pid;
        recorder.lockRetried(step);
        LOG.warn("safe-ops {} {}: no lock within {} (SQLSTATE 55P03 lock_not_available), attempt {} of {}; trying "
                        + "again in {} ms with a lock timeout of {}{}", step.location(), step.operation().description(),
                milliseconds(attempts.timeouts.get(attempts.timeouts.size() - 1)), attempts.made,
                schedule.retries() + 1, attempts.nextSleep.toMillis(), milliseconds(attempts.nextTimeout), inTransaction ? "; the locks taken by earlier statements of this "
                        + "transaction stay held meanwhile" : "");
        watch.start(pid, attempts.nextSleep.plus(attempts.nextTimeout).plus(Duration.ofMillis(500)), attempts.nextTimeout);
        try {
            Thread.sleep(attempts.nextSleep.toMillis(), attempts.nextSleep.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.stopped = "the thread was interrupted while it waited to retry";
            return false;
        }
        attempts.timeouts.add(attempts.nextTimeout);
        return true;
    }

    private String setInTransaction(int attempt) {
        List<String> set = new ArrayList<>();
        List<String> save = new ArrayList<>();
        settings(attempt).forEach((name, value) -> {
            set.add("set_config('" + name + "', " + value + ", true)");
            save.add("set_config('safe_ops." + name + "', current_setting('" + name + "'), true) IS NOT NULL");
        });
        // The WHERE clause runs before the select list: the caller's values are saved before they change.
        return "SELECT " + String.join(", ", set) + " WHERE " + String.join(" AND ", save);
    }

    private String restoreInTransaction() {
        List<String> restore = new ArrayList<>();
        settings(0).keySet().forEach(name -> restore.add("set_config('" + name + "', current_setting('safe_ops."
                + name + "'), true)"));
        return "SELECT " + String.join(", ", restore);
    }

    /** Sets the timeouts for the session; returns the caller's values, separated by spaces, in {@link #settings} order. */
    private String setForSession() {
        List<String> set = new ArrayList<>();
        List<String> read = new ArrayList<>();
        settings(0).forEach((name, value) -> {
            set.add("set_config('" + name + "', " + value + ", false) IS NOT NULL");
            read.add("current_setting('" + name + "')");
        });
        // OFFSET 0 keeps the subquery apart: its row, with the values as they were, is read before the WHERE changes them.
        return "SELECT previous FROM (SELECT " + String.join(" || ' ' || ", read) + " AS previous OFFSET 0) saved WHERE "
                + String.join(" AND ", set);
    }

    private String restoreForSession(String[] previous) {
        List<String> restore = new ArrayList<>();
        int i = 0;
        for (String name : settings(0).keySet()) {
            restore.add("set_config('" + name + "', " + Literal.quote(previous[i++]) + ", false)");
        }
        return "SELECT " + String.join(", ", restore);
    }

    /** The settings to set for attempt {@code attempt}, in a fixed order: name to SQL value. */
    private Map<String, String> settings(int attempt) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (lockTimeout != null) {
            settings.put("lock_timeout", quoted(schedule.lockTimeout(lockTimeout, attempt)));
        }
        if (statementTimeout != null) {
            settings.put("statement_timeout", quoted(statementTimeout));
        }
        return settings;
    }

    /** A statement that sets a timeout itself keeps its change: nothing is set around it. */
    private static boolean setsTimeouts(Guard.Step step) {
        return step.operation().shape().tokens().stream()
                .anyMatch(token -> TIMEOUT_SETTINGS.contains(token.value().toLowerCase(Locale.ROOT)));
    }

    /**
     * {@code CREATE INDEX CONCURRENTLY}, {@code DROP INDEX CONCURRENTLY}, {@code REINDEX …
     * CONCURRENTLY} (and {@code DETACH PARTITION … CONCURRENTLY}) run without the timeouts: their
     * waits block no reads or writes (they take SHARE UPDATE EXCLUSIVE and then wait for older
     * transactions), while a timeout that fires during them leaves work half done (an INVALID index
     * that a retry would meet as "already exists").
     */
    private static boolean runsConcurrently(Guard.Step step) {
        return step.operation().forbiddenInTransaction()
                && step.operation().shape().tokens().stream().anyMatch(token -> token.isWord("CONCURRENTLY"));
    }

    /** A duration in PostgreSQL's units: {@code 1500ms}. */
    static String milliseconds(Duration duration) {
        return duration.toMillis() + "ms";
    }

    private static String quoted(Duration duration) {
        return "'" + milliseconds(duration) + "'";
    }

    /** A duration for people: {@code 0.35 s}, {@code 12.3 s}. */
    static String seconds(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
    }

    /** One statement's attempts at its lock. */
    private final class Attempts {
        final Guard.Step step;
        final long started;
        /** The lock timeout of each attempt made. */
        final List<Duration> timeouts = new ArrayList<>();
        int made;
        Duration nextTimeout;
        Duration nextSleep;
        String stopped;

        Attempts(Guard.Step step) {
            this.step = step;
            Duration first = schedule.lockTimeout(lockTimeout, 0);
            this.started = System.nanoTime() - first.toNanos();
            timeouts.add(first);
        }

        void failedOnce() {
            made++;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        /** Whether the schedule allows another attempt; if not, {@link #stopped} says why. */
        boolean mayRetry() {
            if (made > schedule.retries()) {
                stopped = schedule.retries() == 0 ? "no lock retries are configured (Settings.withLockRetries)"
                        : "its " + made + " attempts ran out";
                return false;
            }
            nextTimeout = schedule.lockTimeout(lockTimeout, made);
            nextSleep = schedule.sleepBefore(made);
            Duration end = elapsed().plus(nextSleep).plus(nextTimeout);
            if (end.compareTo(schedule.budget()) > 0) {
                stopped = "another attempt could end " + seconds(end) + " after the first began, past the budget of "
                        + seconds(schedule.budget()) + " per statement";
                return false;
            }
            return true;
        }
    }
}
