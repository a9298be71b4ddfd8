package dev.safeops;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.TransactionState;
import org.postgresql.core.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a list of statements in one round trip through pgjdbc's query executor: every statement
 * goes out as its own extended-protocol query, followed by a single Sync, and the server's answers
 * are counted one by one. Counting is what plain JDBC cannot do: {@code Statement.execute} of a
 * multi-statement string and {@code executeBatch} inside a transaction both lose which statement
 * failed, and safe-ops needs exactly that to roll back one savepoint and resend only the rest.
 *
 * <p>Statements are never re-split: each one is handed to the driver as a single query, so the
 * driver's parser and safe-ops' script reader cannot disagree about boundaries.
 */
final class PipelinedChannel implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    private static final Class<?> BASE_CONNECTION = driverClass();

    private static final int[] NO_PARAMETERS = new int[0];

    private final BaseConnection connection;

    PipelinedChannel(Connection connection) throws SQLException {
        this.connection = connection.unwrap(BaseConnection.class);
    }

    /** Whether pgjdbc is on the class path and the connection is (or wraps) one of its connections. */
    static boolean supports(Connection connection) throws SQLException {
        return BASE_CONNECTION != null && connection.isWrapperFor(BASE_CONNECTION);
    }

    private static Class<?> driverClass() {
        try {
            return Class.forName("org.postgresql.core.BaseConnection", false, PipelinedChannel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    @Override
    public Exchange send(List<String> statements) throws SQLException {
        if (statements.isEmpty()) {
            return new Exchange(0, null, Map.of());
        }
        QueryExecutor executor = connection.getQueryExecutor();
        List<NativeQuery> parts = new ArrayList<>(statements.size());
        for (String sql : statements) {
            parts.add(new NativeQuery(Objects.requireNonNull(sql, "statement"), NO_PARAMETERS, false, SqlCommand.BLANK));
        }
        Query query = executor.wrap(parts);
        // Text results, no statement caching: these statements run once and only our own catalog
        // look-ups are ever read back.
        int flags = QueryExecutor.QUERY_ONESHOT | QueryExecutor.QUERY_NO_BINARY_TRANSFER;
        if (connection.getAutoCommit()) {
            flags |= QueryExecutor.QUERY_SUPPRESS_BEGIN;
        }
        Counter counter = new Counter();
        try {
            executor.execute(query, query.createParameterList(), counter, 0, 0, flags);
        } finally {
            query.close();
        }
        return new Exchange(counter.completed, counter.getException(), counter.firstValues);
    }

    @Override
    public boolean knownAborted() {
        return connection.getTransactionState() == TransactionState.FAILED;
    }

    /** Counts completed statements; the server answers each with rows or a command status, never both. */
    private static final class Counter extends ResultHandlerBase {
        private int completed;
        private final Map<Integer, String> firstValues = new HashMap<>();

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            if (!tuples.isEmpty() && fields.length > 0) {
                byte[] value = tuples.get(0).get(0);
                if (value != null) {
                    firstValues.put(completed, new String(value, StandardCharsets.UTF_8));
                }
            }
            completed++;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            completed++;
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            LOG.debug("server notice: {}", warning.getMessage());
        }

        @Override
        public void handleCompletion() {
            // The error stays in the exchange; the guard decides what it means.
        }
    }
}
