package dev.safeops.bench;

import dev.safeops.Report;

/**
 * What one variant did with a workload's statements.
 *
 * @param applied statements that took effect
 * @param skipped statements that failed and were rolled back alone
 * @param report  safe-ops' report, which a caller keeps after the run (so the heap is measured with
 *                it); {@code null} for the variants without safe-ops
 */
record Tally(int applied, int skipped, Report report) {

    static Tally of(Report report) {
        return new Tally(report.applied(), report.skipped(), report);
    }
}
