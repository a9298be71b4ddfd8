package dev.safeops;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every outcome, keeps those of the current unit of work, hands each to the listener, and
 * logs it: skips at WARN (nothing skipped is hidden), applied operations at DEBUG. A long-lived
 * session starts a new unit of work now and then, so its memory does not grow with its age.
 */
final class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);

    private final List<Outcome> outcomes = new ArrayList<>();
    private int savepoints;
    private int subtransactions;
    private long applied;
    private long skipped;
    private long totalSavepoints;
    private Consumer<Outcome> listener = outcome -> { };
    /**
     * What steps without an outcome yet have gathered, by step instance (one {@code execute} in a
     * loop makes equal steps, one after the other): their outcomes take it.
     */
    private final Map<Guard.Step, Pending> pending = new IdentityHashMap<>();

    /** Risks judged before a step ran, and retries after its lock waits timed out. */
    private static final class Pending {
        private final List<String> warnings = new ArrayList<>();
        private int lockRetries;
    }

    void listener(Consumer<Outcome> listener) {
        this.listener = listener;
    }

    void applied(Guard.Step step) {
        Pending gathered = taken(step);
        Outcome outcome = Outcome.applied(step, null, gathered.warnings, gathered.lockRetries);
        applied++;
        outcomes.add(outcome);
        LOG.debug("{}", outcome);
        listener.accept(outcome);
    }

    /** Applied, with a reason worth reporting (such as a repair made before it could be). */
    void applied(Guard.Step step, String reason) {
        Pending gathered = taken(step);
        Outcome outcome = Outcome.applied(step, reason, gathered.warnings, gathered.lockRetries);
        applied++;
        outcomes.add(outcome);
        LOG.info("safe-ops {} {}: {}", outcome.location(), outcome.operation(), reason);
        listener.accept(outcome);
    }

    void skipped(Guard.Step step, String sqlState, String reason) {
        Pending gathered = taken(step);
        Outcome outcome = Outcome.skipped(step, sqlState, reason, gathered.warnings, gathered.lockRetries);
        skipped++;
        outcomes.add(outcome);
        LOG.warn("safe-ops skipped {} {} [SQLSTATE {}]: {} — statement: {}", outcome.location(), outcome.operation(),
                sqlState, reason, outcome.sql());
        listener.accept(outcome);
    }

    /** Keeps the statement's risks for its outcome. */
    void warn(Guard.Step step, List<String> risks) {
        pending.computeIfAbsent(step, s -> new Pending()).warnings.addAll(risks);
    }

    /** Forgets what steps that never got an outcome gathered (their script failed before them). */
    void forgetPending() {
        pending.clear();
    }

    /** What the step gathered, forgotten here: its outcome takes it. */
    private Pending taken(Guard.Step step) {
        Pending gathered = pending.remove(step);
        return gathered == null ? new Pending() : gathered;
    }

    /** Counts one more retry of {@code step} after its lock wait timed out; its outcome will carry the count. */
    void lockRetried(Guard.Step step) {
        pending.computeIfAbsent(step, s -> new Pending()).lockRetries++;
    }

    /** How many times {@code step} has been retried, forgotten once read: an outcome or a failure takes it. */
    int lockRetries(Guard.Step step) {
        Pending gathered = pending.get(step);
        if (gathered == null) {
            return 0;
        }
        int retries = gathered.lockRetries;
        gathered.lockRetries = 0;
        return retries;
    }

    void savepointsSent(int count) {
        savepoints += count;
        totalSavepoints += count;
    }

    /**
     * Subtransactions the server keeps until the transaction ends: savepoints released after
     * statements ran in them (a savepoint rolled back to is forgotten by the server).
     */
    void subtransactionsKept(int count) {
        subtransactions += count;
    }

    /** Forgets the outcomes kept so far; the totals stay. */
    void startUnitOfWork() {
        outcomes.clear();
        savepoints = 0;
        subtransactions = 0;
    }

    int size() {
        return outcomes.size();
    }

    Outcome last() {
        return outcomes.get(outcomes.size() - 1);
    }

    Report report() {
        return new Report(outcomes, savepoints, subtransactions);
    }

    /** Where the counts stand now, to report what happens after it. */
    Mark mark() {
        return new Mark(outcomes.size(), savepoints, subtransactions);
    }

    Report since(Mark mark) {
        return new Report(outcomes.subList(mark.outcomes(), outcomes.size()), savepoints - mark.savepoints(),
                subtransactions - mark.subtransactions());
    }

    record Mark(int outcomes, int savepoints, int subtransactions) {
    }

    int savepoints() {
        return savepoints;
    }

    Report.Totals totals() {
        return new Report.Totals(applied, skipped, totalSavepoints);
    }
}
