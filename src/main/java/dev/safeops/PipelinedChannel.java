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
import org.postgresql.jdbc.AutoSave;
import org.postgresql.util.PSQLException;
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
 *
 * <p>pgjdbc's {@code autosave} is suspended while safe-ops' own statements are in flight: they are
 * guarded by safe-ops' savepoints already, and pgjdbc's would add a subtransaction per round trip
 * and, with {@code cleanupSavepoints=true}, release savepoints that are not its own. The caller's
 * setting is restored after every exchange.
 *
 * <p>Only {@link PgjdbcSupport} decides whether this class may be loaded: it is compiled against
 * pgjdbc internals that differ between versions.
 */
final class PipelinedChannel implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    private static final int[] NO_PARAMETERS = new int[0];

    private final BaseConnection connection;

    private final boolean pipelinesEach;

    PipelinedChannel(Connection connection) throws SQLException {
        this.connection = connection.unwrap(BaseConnection.class);
        this.pipelinesEach = atLeast(this.connection.getMetaData().getDriverVersion(), EACH_FROM);
    }

    /** Whether a version such as {@code 42.7.13} (or {@code 42.7.13-SNAPSHOT}) is at least {@code minimum}. */
    static boolean atLeast(String version, int[] minimum) {
        String[] parts = String.valueOf(version).split("[.-]");
        for (int i = 0; i < minimum.length; i++) {
            int part;
            try {
                part = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (part != minimum[i]) {
                return part > minimum[i];
            }
        }
        return true;
    }

    /**
     * The oldest pgjdbc known to read every answer of a list of simple-protocol queries when one of
     * them fails; older ones (42.7.0 and before, at least) stop reading at the first error, so on
     * them each statement of {@link #sendEach} travels alone.
     */
    static final int[] EACH_FROM = {42, 7, 13};

    @Override
    public boolean pipelinesEach() {
        return pipelinesEach;
    }

    @Override
    public Exchange send(List<String> statements) throws SQLException {
        if (statements.isEmpty()) {
            return new Exchange(0, null, false, Map.of());
        }
        Counter counter = new Counter();
        execute(statements, 0, counter);
        return new Exchange(counter.failedAt < 0 ? counter.completed : counter.failedAt, counter.getException(),
                counter.raisedByDriver, counter.firstValues);
    }

    /**
     * The simple protocol: pgjdbc sends each statement as a Query message of its own and reads every
     * answer up to its ReadyForQuery, so an error ends only that statement. No Sync is needed: each
     * Query ends with its own ReadyForQuery. Safe-ops never puts two statements in one string (a
     * script is split by its own reader, and {@code execute} refuses several), so one Query is one
     * statement and its error, if any, is that statement's.
     */
    @Override
    public Answers sendEach(List<String> statements) throws SQLException {
        Collector collector = new Collector();
        if (pipelinesEach) {
            execute(statements, QueryExecutor.QUERY_EXECUTE_AS_SIMPLE, collector);
        } else {
            for (String statement : statements) {
                if (collector.driverError != null) {
                    break;
                }
                execute(List.of(statement), QueryExecutor.QUERY_EXECUTE_AS_SIMPLE, collector);
            }
        }
        return new Answers(collector.answers, collector.driverError);
    }

    private void execute(List<String> statements, int mode, ResultHandlerBase handler) throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        QueryExecutor executor = connection.getQueryExecutor();
        List<NativeQuery> parts = new ArrayList<>(statements.size());
        for (String sql : statements) {
            parts.add(new NativeQuery(Objects.requireNonNull(sql, "statement"), NO_PARAMETERS, false, SqlCommand.BLANK));
        }
        Query query = executor.wrap(parts);
        // Text results, no statement caching: these statements run once and only our own catalog
        // look-ups are ever read back.
        int flags = QueryExecutor.QUERY_ONESHOT | QueryExecutor.QUERY_NO_BINARY_TRANSFER | mode;
        if (connection.getAutoCommit()) {
            flags |= QueryExecutor.QUERY_SUPPRESS_BEGIN;
        }
        AutoSave autosave = connection.getAutosave();
        try {
            if (autosave != AutoSave.NEVER) {
                connection.setAutosave(AutoSave.NEVER);
            }
            executor.execute(query, query.createParameterList(), handler, 0, 0, flags);
        } catch (SQLException e) {
            // Raised by the driver in the middle of the exchange (it closes the connection on a
            // session change it cannot live with): the statement being answered is the culprit.
            handler.handleError(e);
        } finally {
            query.close();
            if (autosave != AutoSave.NEVER) {
                connection.setAutosave(autosave);
            }
        }
    }

    @Override
    public boolean aborted() {
        return connection.getTransactionState() == TransactionState.FAILED;
    }

    /** Counts completed statements; the server answers each with rows or a command status, never both. */
    private static final class Counter extends ResultHandlerBase {
        private int completed;
        private int failedAt = -1;
        private boolean raisedByDriver;
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
        public void handleError(SQLException error) {
            if (failedAt < 0) {
                failedAt = completed;
                raisedByDriver = !(error instanceof PSQLException server) || server.getServerErrorMessage() == null;
            }
            super.handleError(error);
        }

        @Override
        public void handleCompletion() {
            // The error stays in the exchange; the guard decides what it means.
        }
    }

    /** Collects one answer per statement; a server error is its statement's answer, not the exchange's end. */
    private static final class Collector extends ResultHandlerBase {
        private final List<Answers.Answer> answers = new ArrayList<>();
        private SQLException driverError;

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            String first = null;
            if (!tuples.isEmpty() && fields.length > 0) {
                byte[] value = tuples.get(0).get(0);
                first = value == null ? null : new String(value, StandardCharsets.UTF_8);
            }
            answers.add(first == null ? Answers.Answer.OK : new Answers.Answer(null, first));
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            answers.add(Answers.Answer.OK);
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            LOG.debug("server notice: {}", warning.getMessage());
        }

        @Override
        public void handleError(SQLException error) {
            if (error instanceof PSQLException server && server.getServerErrorMessage() != null) {
                answers.add(new Answers.Answer(error, null));
            } else if (driverError == null) {
                driverError = error;
            }
        }

        @Override
        public void handleCompletion() {
            // Every error is in the answers; the guard decides what they mean.
        }
    }
}
