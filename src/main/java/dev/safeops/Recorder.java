package dev.safeops;

import java.util.ArrayList;
import java.util.HashMap;
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
    /** Risks judged before the statements ran, until their outcomes take them. */
    private final Map<Guard.Step, List<String>> warnings = new HashMap<>();
    /** Lock retries of the steps that have no outcome yet, by step instance. */
    private final Map<Guard.Step, Integer> lockRetries = new IdentityHashMap<>();

    void listener(Consumer<Outcome> listener) {
        this.listener = listener;
    }

    void applied(Guard.Step step) {
        Outcome outcome = Outcome.applied(step, null, warningsOf(step), lockRetries(step));
        applied++;
        outcomes.add(outcome);
        LOG.debug("{}", outcome);
        listener.accept(outcome);
    }

    /** Applied, with a reason worth reporting (such as a repair made before it could be). */
    void applied(Guard.Step step, String reason) {
        Outcome outcome = Outcome.applied(step, reason, warningsOf(step), lockRetries(step));
        applied++;
        outcomes.add(outcome);
        LOG.info("safe-ops {} {}: {}", outcome.location(), outcome.operation(), reason);
        listener.accept(outcome);
    }

    void skipped(Guard.Step step, String sqlState, String reason) {
        Outcome outcome = Outcome.skipped(step, sqlState, reason, warningsOf(step), lockRetries(step));
        skipped++;
        outcomes.add(outcome);
        LOG.warn("safe-ops skipped {} {} [SQLSTATE {}]: {} — statement: {}", outcome.location(), outcome.operation(),
                sqlState, reason, outcome.sql());
        listener.accept(outcome);
    }

    /** Keeps the statement's risks for its outcome. */
    void warn(Guard.Step step, List<String> risks) {
        warnings.computeIfAbsent(step, s -> new ArrayList<>()).addAll(risks);
    }

    /** Forgets the risks of statements that never got an outcome (their script failed before them). */
    void forgetWarnings() {
        warnings.clear();
    }

    private List<String> warningsOf(Guard.Step step) {
        List<String> risks = warnings.remove(step);
        return risks == null ? List.of() : risks;
    }

    /** Counts one more retry of {@code step} after its lock wait timed out; its outcome will carry the count. */
    void lockRetried(Guard.Step step) {
        lockRetries.merge(step, 1, Integer::sum);
    }

    /** How many times {@code step} has been retried, forgotten once read: an outcome or a failure takes it. */
    int lockRetries(Guard.Step step) {
        Integer count = lockRetries.remove(step);
        return count == null ? 0 : count;
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
