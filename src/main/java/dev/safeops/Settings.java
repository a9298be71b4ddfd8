package dev.safeops;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link SafeOps} session runs statements, fixed when the session is created. Immutable: the
 * {@code with…} methods return a new value.
 *
 * <pre>{@code
 * SafeOps ops = SafeOps.on(connection, policy, Settings.defaults().withOperationsPerSavepoint(16));
 * }</pre>
 *
 * @param operationsPerSavepoint how many consecutive statements of a script may share one
 *     savepoint (at least 1, the default). Sharing keeps a long script under the 64
 *     subtransactions PostgreSQL caches per transaction (past them, every concurrent snapshot slows
 *     down until the transaction ends). Outcomes stay exactly the same: when a statement of a group
 *     fails, the group is rolled back and replayed one statement per savepoint. The price: one more
 *     round trip per failing group, and the group's statements that had succeeded run a second time
 *     — harmless for DDL, visible for effects that ignore rollback (sequence increments)
 * @param acceptedDataLoss the objects whose data the caller accepts to lose, each written as SQL
 *     names: {@code table}, {@code schema.table}, {@code table.column} or {@code schema.table.column}
 *     (unquoted parts fold to lower case). A statement that would destroy data of any other object
 *     is refused before anything of its script is sent. Empty by default: there is no global switch
 * @param failOnRisk whether a risky operation (one that locks or rewrites a large table, see the
 *     README's rule table) is refused before anything of its script is sent, rather than reported
 *     as a warning on its outcome
 * @param largeTableBytes from what size (pg_relation_size, in bytes) a table makes a lock-taking or
 *     rewriting operation on it a risk worth reporting; default 10 MiB. An empty table never is
 * @param dataLossCheckTimeout how long the look-up that counts what a destructive statement would
 *     lose may run (a statement timeout); past it safe-ops falls back on the planner's estimates,
 *     and says so. Default 5 seconds
 */
public record Settings(int operationsPerSavepoint, Set<String> acceptedDataLoss, boolean failOnRisk,
                       long largeTableBytes, Duration dataLossCheckTimeout) {

    /** 10 MiB: rewriting that much under ACCESS EXCLUSIVE takes a noticeable fraction of a second. */
    static final long DEFAULT_LARGE_TABLE_BYTES = 10L * 1024 * 1024;
    static final Duration DEFAULT_DATA_LOSS_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private static final Settings DEFAULTS = new Settings(1, Set.of(), false, DEFAULT_LARGE_TABLE_BYTES,
            DEFAULT_DATA_LOSS_CHECK_TIMEOUT);

    /**
     * @throws IllegalArgumentException if {@code operationsPerSavepoint} is less than 1, an accepted
     *     object is not a name of one to three parts, {@code largeTableBytes} is less than 1 or the
     *     timeout is not positive
     */
    public Settings {
        if (operationsPerSavepoint < 1) {
            throw new IllegalArgumentException("operations per savepoint must be at least 1, was "
                    + operationsPerSavepoint);
        }
        acceptedDataLoss = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(acceptedDataLoss,
                "acceptedDataLoss")));
        acceptedDataLoss.forEach(ObjectName::parse);
        if (largeTableBytes < 1) {
            throw new IllegalArgumentException("the large-table size must be at least 1 byte, was " + largeTableBytes);
        }
        Objects.requireNonNull(dataLossCheckTimeout, "dataLossCheckTimeout");
        if (dataLossCheckTimeout.isNegative() || dataLossCheckTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the data-loss check timeout must be at least 1 ms, was "
                    + dataLossCheckTimeout);
        }
    }

    /** A savepoint per statement, no data loss accepted, risks reported as warnings. */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /** These settings with up to {@code operations} consecutive script statements sharing one savepoint. */
    public Settings withOperationsPerSavepoint(int operations) {
        return new Settings(operations, acceptedDataLoss, failOnRisk, largeTableBytes, dataLossCheckTimeout);
    }

    /**
     * These settings, also accepting to lose the data of these objects ({@code orders.legacy_note},
     * {@code public.audit_2019}); added to those accepted already.
     */
    public Settings withAcceptedDataLoss(String... objects) {
        Set<String> accepted = new LinkedHashSet<>(acceptedDataLoss);
        accepted.addAll(List.of(objects));
        return new Settings(operationsPerSavepoint, accepted, failOnRisk, largeTableBytes, dataLossCheckTimeout);
    }

    /** These settings, refusing a risky operation before anything is sent instead of warning about it. */
    public Settings withFailOnRisk(boolean fail) {
        return new Settings(operationsPerSavepoint, acceptedDataLoss, fail, largeTableBytes, dataLossCheckTimeout);
    }

    /** These settings, counting a table of at least {@code bytes} as large. */
    public Settings withLargeTableBytes(long bytes) {
        return new Settings(operationsPerSavepoint, acceptedDataLoss, failOnRisk, bytes, dataLossCheckTimeout);
    }

    /** These settings, bounding the data-loss look-up by {@code timeout}. */
    public Settings withDataLossCheckTimeout(Duration timeout) {
        return new Settings(operationsPerSavepoint, acceptedDataLoss, failOnRisk, largeTableBytes, timeout);
    }
}
