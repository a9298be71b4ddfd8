package dev.safeops;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * How a {@link SafeOps} session runs statements, fixed when the session is created. Immutable: the
 * {@code with…} methods return a new value.
 *
 * <pre>{@code
 * SafeOps ops = SafeOps.on(connection, policy, Settings.defaults().withOperationsPerSavepoint(16));
 * SafeOps prod = SafeOps.on(connection, policy, Settings.production().withBlockerLookup(dataSource));
 * }</pre>
 *
 * <p>Lock and statement timeouts apply to each statement alone: inside the statement's savepoint
 * safe-ops sets them with {@code set_config(…, true)} before the statement and sets the caller's
 * previous values back after it, in the same round trip; a statement that fails is rolled back to
 * its savepoint, which undoes the change too. In autocommit mode they are set for the session just
 * before the statement and set back just after it. Either way the caller's own values — for the
 * session or for its transaction — are what they were after every operation, applied, skipped,
 * retried or failed. A statement that sets {@code lock_timeout} or {@code statement_timeout} itself
 * runs without them, so that its change stays.
 *
 * @param operationsPerSavepoint how many consecutive statements of a script may share one
 *     savepoint (at least 1, the default). Sharing keeps a long script under the 64
 *     subtransactions PostgreSQL caches per transaction (past them, every concurrent snapshot slows
 *     down until the transaction ends). Outcomes stay exactly the same: when a statement of a group
 *     fails, the group is rolled back and replayed one statement per savepoint. The price: one more
 *     round trip per failing group, and the group's statements that had succeeded run a second time
 *     — harmless for DDL, visible for effects that ignore rollback (sequence increments)
 * @param lockTimeout how long each statement may wait for a lock on its first attempt
 *     ({@code lock_timeout}); {@code null} (the default) leaves the session's own setting alone. A
 *     statement waiting for a lock makes every later query on that table wait behind it, so in
 *     production this is short, and retried
 * @param lockRetries how a statement whose lock wait timed out (SQLSTATE 55P03) is retried; {@link
 *     LockRetries#none()} by default. Needs a {@code lockTimeout}
 * @param statementTimeout the longest each statement may run ({@code statement_timeout}), or
 *     {@code null} (the default) to leave the session's own setting alone
 * @param blockerLookup where safe-ops takes a second connection to the same database to find the
 *     sessions a retried statement waits for (from {@code pg_blocking_pids} and {@code
 *     pg_stat_activity}, while it waits: once the timeout fires, the wait is gone), named in the
 *     error when the attempts run out; {@code null} (the default) names only the relation, from the
 *     statement. Compared by identity
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
public record Settings(int operationsPerSavepoint, Duration lockTimeout, LockRetries lockRetries,
                       Duration statementTimeout, DataSource blockerLookup, Set<String> acceptedDataLoss,
                       boolean failOnRisk, long largeTableBytes, Duration dataLossCheckTimeout) {

    /** 10 MiB: rewriting that much under ACCESS EXCLUSIVE takes a noticeable fraction of a second. */
    static final long DEFAULT_LARGE_TABLE_BYTES = 10L * 1024 * 1024;
    static final Duration DEFAULT_DATA_LOSS_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private static final Settings DEFAULTS = new Settings(1, null, LockRetries.none(), null, null, Set.of(), false,
            DEFAULT_LARGE_TABLE_BYTES, DEFAULT_DATA_LOSS_CHECK_TIMEOUT);

    /**
     * The production preset: a {@code lock_timeout} of 100 ms on the first attempt, retried as
     * {@link LockRetries#production()} describes (up to 9 retries, timeouts doubling to 1 s, sleeps
     * of 50 ms to 1 s with jitter, at most 10 s per statement), and no statement timeout.
     *
     * <p>Why these numbers. A statement waiting for its lock blocks every later query on the table
     * for as long as it waits, so the first attempts are as short as GitLab's first attempts (100
     * ms, below what a request notices), and the longest is 1 s, as reshape uses, for tables that
     * are never quiet for 100 ms. pgroll's 500 ms sits in between. strong_migrations' 10 s suits a
     * migration that retries as a whole, outside any transaction; safe-ops retries one statement
     * inside the migration's transaction, where the locks of the statements before it stay held
     * through every wait, so waits stay short and the whole retry ends within 10 s: then the
     * migration fails naming the sessions in the way, rather than waiting without bound. No
     * statement timeout: an index build or a table rewrite may rightly run for a long time, and
     * the lock timeout already bounds the waiting that hurts other sessions.
     */
    public static Settings production() {
        return DEFAULTS.withLockTimeout(Duration.ofMillis(100)).withLockRetries(LockRetries.production());
    }

    /**
     * @throws IllegalArgumentException if {@code operationsPerSavepoint} is less than 1, a timeout
     *     is under a millisecond, retries are asked without a lock timeout, an accepted object is
     *     not a name of one to three parts, or {@code largeTableBytes} is less than 1
     */
    public Settings {
        if (operationsPerSavepoint < 1) {
            throw new IllegalArgumentException("operations per savepoint must be at least 1, was "
                    + operationsPerSavepoint);
        }
        Objects.requireNonNull(lockRetries, "lockRetries (LockRetries.none() for none)");
        LockRetries.atLeastAMillisecond(lockTimeout, "the lock timeout");
        LockRetries.atLeastAMillisecond(statementTimeout, "the statement timeout");
        if (lockTimeout == null && lockRetries.retries() > 0) {
            throw new IllegalArgumentException("lock retries need a lock timeout: without one a statement waits for "
                    + "its lock as long as the session's own lock_timeout says, and there is nothing to retry");
        }
        acceptedDataLoss = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(acceptedDataLoss,
                "acceptedDataLoss")));
        acceptedDataLoss.forEach(ObjectName::parse);
        if (largeTableBytes < 1) {
            throw new IllegalArgumentException("the large-table size must be at least 1 byte, was " + largeTableBytes);
        }
        LockRetries.atLeastAMillisecond(Objects.requireNonNull(dataLossCheckTimeout, "dataLossCheckTimeout"),
                "the data-loss check timeout");
    }

    /**
     * A savepoint per statement, the session's own lock and statement timeouts, no data loss
     * accepted, risks reported as warnings.
     */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /** These settings with up to {@code operations} consecutive script statements sharing one savepoint. */
    public Settings withOperationsPerSavepoint(int operations) {
        return with(operations, lockTimeout, lockRetries, statementTimeout, blockerLookup);
    }

    /** These settings with this {@code lock_timeout} on each statement's first attempt; {@code null} for none. */
    public Settings withLockTimeout(Duration timeout) {
        return with(operationsPerSavepoint, timeout, lockRetries, statementTimeout, blockerLookup);
    }

    /** These settings with statements whose lock wait timed out retried this way. */
    public Settings withLockRetries(LockRetries retries) {
        return with(operationsPerSavepoint, lockTimeout, retries, statementTimeout, blockerLookup);
    }

    /** These settings with this {@code statement_timeout} on each statement; {@code null} for none. */
    public Settings withStatementTimeout(Duration timeout) {
        return with(operationsPerSavepoint, lockTimeout, lockRetries, timeout, blockerLookup);
    }

    /** These settings with blocking sessions looked up through connections from this data source. */
    public Settings withBlockerLookup(DataSource dataSource) {
        return with(operationsPerSavepoint, lockTimeout, lockRetries, statementTimeout, dataSource);
    }

    /**
     * These settings, also accepting to lose the data of these objects ({@code orders.legacy_note},
     * {@code public.audit_2019}); added to those accepted already.
     */
    public Settings withAcceptedDataLoss(String... objects) {
        Set<String> accepted = new LinkedHashSet<>(acceptedDataLoss);
        accepted.addAll(List.of(objects));
        return new Settings(operationsPerSavepoint, lockTimeout, lockRetries, statementTimeout, blockerLookup, accepted,
                failOnRisk, largeTableBytes, dataLossCheckTimeout);
    }

    /** These settings, refusing a risky operation before anything is sent instead of warning about it. */
    public Settings withFailOnRisk(boolean fail) {
        return new Settings(operationsPerSavepoint, lockTimeout, lockRetries, statementTimeout, blockerLookup,
                acceptedDataLoss, fail, largeTableBytes, dataLossCheckTimeout);
    }

    /** These settings, counting a table of at least {@code bytes} as large. */
    public Settings withLargeTableBytes(long bytes) {
        return new Settings(operationsPerSavepoint, lockTimeout, lockRetries, statementTimeout, blockerLookup,
                acceptedDataLoss, failOnRisk, bytes, dataLossCheckTimeout);
    }

    /** These settings, bounding the data-loss look-up by {@code timeout}. */
    public Settings withDataLossCheckTimeout(Duration timeout) {
        return new Settings(operationsPerSavepoint, lockTimeout, lockRetries, statementTimeout, blockerLookup,
                acceptedDataLoss, failOnRisk, largeTableBytes, timeout);
    }

    /** These settings with the running options changed and the data-loss and risk options kept. */
    private Settings with(int operations, Duration lock, LockRetries retries, Duration statement, DataSource lookup) {
        return new Settings(operations, lock, retries, statement, lookup, acceptedDataLoss, failOnRisk,
                largeTableBytes, dataLossCheckTimeout);
    }

    /**
     * How a statement whose lock wait timed out is retried. Immutable. Attempt {@code n} (the first
     * is 0) waits for its lock at most the settings' lock timeout × 2<sup>n</sup>, capped at {@code
     * maxLockTimeout}; before it, the statement is rolled back to its savepoint (releasing whatever
     * it had locked) and safe-ops sleeps a random time between half and all of {@code backoff} ×
     * 2<sup>n-1</sup>, capped at {@code maxBackoff} (the jitter keeps two waiting migrations from
     * retrying in step). A retry that could not finish within {@code budget} of the statement's
     * first attempt, counting lock waits and sleeps, is not made. There is never an attempt without
     * a lock timeout.
     *
     * <p>While it sleeps, safe-ops relaxes the caller's {@code idle_in_transaction_session_timeout}
     * for its own transaction (the rollback to the savepoint before the next attempt undoes that),
     * and on PostgreSQL 17 and later it makes no retry that would end past the transaction's
     * {@code transaction_timeout}. The locks taken by earlier statements of the transaction stay
     * held through the sleeps; every retry is logged at WARN saying so.
     *
     * @param retries        how many times a statement is tried again (0: never)
     * @param maxLockTimeout the longest lock timeout of any attempt
     * @param backoff        the sleep before the first retry (before jitter)
     * @param maxBackoff     the longest sleep before any retry
     * @param budget         how long one statement's attempts and sleeps may take in all
     */
    public record LockRetries(int retries, Duration maxLockTimeout, Duration backoff, Duration maxBackoff,
                              Duration budget) {

        private static final LockRetries NONE = new LockRetries(0, Duration.ofMillis(1), Duration.ZERO,
                Duration.ZERO, Duration.ZERO);
        private static final LockRetries PRODUCTION = new LockRetries(9, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

        /**
         * @throws IllegalArgumentException if {@code retries} is negative, a duration is negative or
         *     {@code maxLockTimeout} is under a millisecond
         */
        public LockRetries {
            if (retries < 0) {
                throw new IllegalArgumentException("lock retries must be 0 or more, was " + retries);
            }
            Objects.requireNonNull(maxLockTimeout, "maxLockTimeout");
            atLeastAMillisecond(maxLockTimeout, "the longest lock timeout");
            for (Duration duration : new Duration[] {backoff, maxBackoff, budget}) {
                if (Objects.requireNonNull(duration, "backoff, maxBackoff and budget").isNegative()) {
                    throw new IllegalArgumentException("lock retry durations must not be negative, was " + duration);
                }
            }
        }

        /** No retry: a statement whose lock wait timed out fails. */
        public static LockRetries none() {
            return NONE;
        }

        /**
         * Up to 9 retries with lock timeouts doubling up to 1 s, sleeps from 100 ms doubling up to
         * 1 s (each between half and all of that), at most 10 s per statement; see {@link
         * Settings#production()} for why.
         */
        public static LockRetries production() {
            return PRODUCTION;
        }

        /** This schedule with {@code count} retries. */
        public LockRetries withRetries(int count) {
            return new LockRetries(count, maxLockTimeout, backoff, maxBackoff, budget);
        }

        /** This schedule with at most this much time for one statement's attempts and sleeps. */
        public LockRetries withBudget(Duration total) {
            return new LockRetries(retries, maxLockTimeout, backoff, maxBackoff, total);
        }

        /** This schedule with these sleeps before retries: {@code first}, doubling up to {@code max}. */
        public LockRetries withBackoff(Duration first, Duration max) {
            return new LockRetries(retries, maxLockTimeout, first, max, budget);
        }

        /** This schedule with lock timeouts doubling up to {@code max}. */
        public LockRetries withMaxLockTimeout(Duration max) {
            return new LockRetries(retries, max, backoff, maxBackoff, budget);
        }

        /** The lock timeout of attempt {@code attempt} (the first is 0). */
        Duration lockTimeout(Duration first, int attempt) {
            Duration max = maxLockTimeout.compareTo(first) < 0 ? first : maxLockTimeout;
            return doubled(first, attempt, max);
        }

        /** How long to sleep before attempt {@code attempt} (at least 1): jittered. */
        Duration sleepBefore(int attempt) {
            Duration base = doubled(backoff, attempt - 1, maxBackoff);
            long nanos = base.toNanos();
            return nanos < 2 ? base : Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
        }

        private static Duration doubled(Duration first, int times, Duration max) {
            Duration value = first;
            for (int i = 0; i < times && value.compareTo(max) < 0; i++) {
                value = value.multipliedBy(2);
            }
            return value.compareTo(max) > 0 ? max : value;
        }

        static void atLeastAMillisecond(Duration duration, String what) {
            if (duration != null && duration.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException(what + " must be at least 1 ms (PostgreSQL counts in "
                        + "milliseconds, and 0 means no timeout at all), was " + duration);
            }
        }
    }
}
