package dev.safeops.jdbc;

import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Report;
import dev.safeops.SafeOps;
import dev.safeops.jdbc.internal.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * A {@link Connection} on which every statement is guarded as {@link SafeOps#execute(String)}
 * guards it, so that existing JDBC migration code gets safe-ops by wrapping its connection and
 * changing nothing else:
 *
 * <pre>{@code
 * Connection connection = SafeConnection.wrap(dataSource.getConnection(),
 *         Policy.defaults().withOptionalTables("pipeline_*"));
 * // ... the same Statement / PreparedStatement code as before ...
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>In a transaction every statement sent through {@code Statement}, {@code PreparedStatement} or
 *       {@code CallableStatement} ({@code execute}, {@code executeUpdate}, {@code executeLargeUpdate},
 *       {@code executeQuery}, batches) runs inside its own savepoint and is judged exactly as
 *       {@code SafeOps.execute} judges it. A tolerated error rolls back that statement only: the call
 *       returns as for a statement without a result ({@code execute} false, update counts 0,
 *       {@code executeQuery} an empty result set), and the skip is in {@link #report()}, logged at WARN
 *       and attached to the statement as an {@link java.sql.SQLWarning}. Any other error is thrown as a
 *       {@link dev.safeops.SafeOpsException} with the transaction still usable.</li>
 *   <li>In autocommit mode statements are judged the same way, without savepoints.</li>
 *   <li>{@code commit}, {@code rollback}, {@code setSavepoint}, {@code rollback(Savepoint)},
 *       {@code releaseSavepoint}, {@code close} and SQL that begins or ends a transaction or savepoint
 *       pass through unguarded: the caller's own transaction and savepoints keep working.</li>
 *   <li>On pgjdbc a guarded statement costs no extra round trip: its savepoint travels with it. On a
 *       connection that does not reveal pgjdbc, the savepoint and its release are one round trip each.</li>
 *   <li>{@code unwrap} and {@code isWrapperFor} answer for the wrapper for {@code java.sql} interfaces
 *       and {@code SafeConnection}, and for the driver's connection otherwise
 *       ({@code org.postgresql.PGConnection} for the COPY API, LISTEN/NOTIFY, {@code addDataType}):
 *       what is done on the driver's object directly is not guarded.</li>
 * </ul>
 *
 * <p>A connection, and so its wrapper, is used by one thread at a time.
 */
public interface SafeConnection extends Connection {

    /** Guards every statement on this connection with {@link Policy#defaults()}. */
    static SafeConnection wrap(Connection connection) throws SQLException {
        return wrap(connection, Policy.defaults());
    }

    /**
     * Guards every statement on this connection with the given policy. Wrapping a connection that is
     * already a {@code SafeConnection} with the same policy returns it unchanged.
     *
     * @throws IllegalStateException if Byte Buddy ({@code net.bytebuddy:byte-buddy}), with which the
     *     wrapper classes are generated, is not on the class path
     */
    static SafeConnection wrap(Connection connection, Policy policy) throws SQLException {
        return Wrappers.connection(connection, policy);
    }

    /** The policy every statement is judged by. */
    Policy policy();

    /**
     * What the statements of the current unit of work did, in order. A unit of work is one
     * transaction: it ends at {@code commit()}, {@code rollback()} or, in autocommit mode, with each
     * statement, and the next guarded statement begins a new one, so the report still describes a
     * transaction just committed and a wrapper that lives for hours keeps only one unit's outcomes.
     */
    Report report();

    /** Ends the current unit of work now and returns its report; {@link #report()} is empty again. */
    Report startUnitOfWork();

    /**
     * Calls the listener with every outcome of every unit of work as soon as it is known, on the
     * calling thread (for logs or metrics beyond one unit). Replaces any earlier listener.
     */
    void onOutcome(Consumer<Outcome> listener);
}
