package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends statements to the server. Kept apart from classification and reporting so that the same
 * guard runs over plain JDBC, a pipelined wire protocol, or a wrapped connection.
 *
 * <p>This type and {@link PgjdbcSupport} name no pgjdbc class: choosing a channel must work when
 * pgjdbc is absent or of a version whose internals differ.
 */
interface Channel {

    /**
     * Runs the statements in order and stops at the first error. Errors of the statements are
     * returned in the exchange, not thrown; only a failure to talk to the server at all is thrown.
     */
    Exchange send(List<String> statements) throws SQLException;

    /**
     * Runs every statement, each as a message of its own, and returns each one's answer: an error
     * ends only its own statement (what the server then does with the next ones is the server's
     * business: in an aborted transaction they fail with 25P02). Only a failure to talk to the server
     * at all is thrown. Every statement must be a single statement.
     */
    Answers sendEach(List<String> statements) throws SQLException;

    /** Whether {@link #sendEach} carries many statements in one round trip. */
    default boolean pipelinesEach() {
        return false;
    }

    /**
     * Whether the connection's transaction is aborted (every statement but a rollback fails with
     * 25P02), found out without changing anything: from the driver's bookkeeping, or with a
     * statement that reads nothing and writes nothing.
     */
    boolean aborted() throws SQLException;

    /** The best channel the connection supports: pipelined on a pgjdbc it knows, one statement at a time otherwise. */
    static Channel on(Connection connection) throws SQLException {
        if (PgjdbcSupport.pipelines(connection)) {
            try {
                return new PipelinedChannel(connection);
            } catch (LinkageError e) {
                // pgjdbc's internals are not what safe-ops was compiled against: plain JDBC works with any driver.
                Logger log = LoggerFactory.getLogger(SafeOps.class);
                log.debug("safe-ops cannot pipeline over this pgjdbc ({}); one statement per round trip", e.toString());
            }
        }
        return new JdbcChannel(connection);
    }
}
