package dev.safeops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every outcome in order and logs it: skips at WARN (nothing skipped is hidden), applied
 * operations at DEBUG.
 */
final class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);

    private final List<Outcome> outcomes = new ArrayList<>();
    private int savepoints;
    private Consumer<Outcome> listener = outcome -> { };

    void listener(Consumer<Outcome> listener) {
        this.listener = listener;
    }

    void applied(Operation operation) {
        Outcome outcome = Outcome.applied(operation);
        outcomes.add(outcome);
        LOG.debug("{}", outcome);
        listener.accept(outcome);
    }

    /** Applied, with a reason worth reporting (such as a repair made before it could be). */
    void applied(Operation operation, String reason) {
        Outcome outcome = Outcome.applied(operation, reason);
        outcomes.add(outcome);
        LOG.info("safe-ops {}{}: {}", operation.location() == null ? "" : operation.location() + " ",
                operation.description(), reason);
        listener.accept(outcome);
    }

    void skipped(Operation operation, String sqlState, String reason) {
        Outcome outcome = Outcome.skipped(operation, sqlState, reason);
        outcomes.add(outcome);
        LOG.warn("safe-ops skipped {}{} [SQLSTATE {}]: {} — statement: {}",
                operation.location() == null ? "" : operation.location() + " ", operation.description(),
                sqlState, reason, operation.sql());
        listener.accept(outcome);
    }

    void savepointsSent(int count) {
        savepoints += count;
    }

    int size() {
        return outcomes.size();
    }

    Outcome last() {
        return outcomes.get(outcomes.size() - 1);
    }

    Report report() {
        return new Report(outcomes, savepoints);
    }

    Report since(int index, int savepointsBefore) {
        return new Report(outcomes.subList(index, outcomes.size()), savepoints - savepointsBefore);
    }

    int savepoints() {
        return savepoints;
    }
}
