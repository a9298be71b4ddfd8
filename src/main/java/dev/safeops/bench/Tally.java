package dev.safeops.bench;

import dev.safeops.Report;

/**
 * What one variant did with a workload's statements.
 *
 * @param applied         statements that took effect
 * @param skipped         statements that failed and were rolled back alone
 * @param subtransactions subtransactions the transaction keeps until it ends: savepoints released
 *                        after statements ran in them (safe-ops' report; for a JDBC variant, one per
 *                        statement applied inside its own savepoint)
 * @param report          safe-ops' report, which a caller keeps after the run (so the heap is measured
 *                        with it); {@code null} for the variants without safe-ops
 */
record Tally(int applied, int skipped, int subtransactions, Report report) {

    static Tally of(Report report) {
        return new Tally(report.applied(), report.skipped(), report.subtransactions(), report);
    }
}
