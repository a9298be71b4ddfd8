package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Sends statements to the server. Kept apart from classification and reporting so that the same
 * guard runs over plain JDBC, a pipelined wire protocol, or a wrapped connection.
 */
interface Channel {

    /**
     * Runs the statements in order and stops at the first error. Errors of the statements are
     * returned in the exchange, not thrown; only a failure to talk to the server at all is thrown.
     */
    Exchange send(List<String> statements) throws SQLException;

    /**
     * Whether the connection is known, without asking the server, to be in an aborted transaction.
     * A channel that cannot know says {@code false}; the first statement then fails with 25P02.
     */
    boolean knownAborted() throws SQLException;

    /** The best channel the connection supports: pipelined on pgjdbc, one statement at a time otherwise. */
    static Channel on(Connection connection) throws SQLException {
        try {
            if (PipelinedChannel.supports(connection)) {
                return new PipelinedChannel(connection);
            }
        } catch (LinkageError driverNotVisible) {
            // pgjdbc lives in a class loader safe-ops cannot see (an application server's, a drivers folder)
        }
        return new JdbcChannel(connection);
    }
}
