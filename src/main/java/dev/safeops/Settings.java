package dev.safeops;

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
 */
public record Settings(int operationsPerSavepoint) {

    private static final Settings DEFAULTS = new Settings(1);

    /**
     * @throws IllegalArgumentException if {@code operationsPerSavepoint} is less than 1
     */
    public Settings {
        if (operationsPerSavepoint < 1) {
            throw new IllegalArgumentException("operations per savepoint must be at least 1, was "
                    + operationsPerSavepoint);
        }
    }

    /** A savepoint per statement. */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /** These settings with up to {@code operations} consecutive script statements sharing one savepoint. */
    public Settings withOperationsPerSavepoint(int operations) {
        return new Settings(operations);
    }
}
