package dev.safeops.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Internal. The hand-written part of a guarded {@link PreparedStatement}: its executions are guarded
 * like a statement's, a batch as one statement (its rows share the statement's SQL, so a missing or
 * existing object makes every row fail alike). Parameters and everything else are generated delegation.
 */
public abstract class PreparedStatementWrapper extends StatementWrapper implements PreparedStatement {

    protected final PreparedStatement prepared;
    private final String sql;
    private int rows;

    protected PreparedStatementWrapper(PreparedStatement prepared, ConnectionWrapper connection, String sql) {
        super(prepared, connection);
        this.prepared = prepared;
        this.sql = sql;
    }

    @Override
    public boolean execute() throws SQLException {
        return run(sql, prepared::execute, false);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(sql, prepared::executeUpdate, 0);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(sql, prepared::executeLargeUpdate, 0L);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return query(sql, prepared::executeQuery);
    }

    @Override
    public void addBatch() throws SQLException {
        prepared.addBatch();
        rows++;
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        rows = 0;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        int batched = rows;
        rows = 0;
        return run(sql, prepared::executeBatch, new int[batched]);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        int batched = rows;
        rows = 0;
        return run(sql, prepared::executeLargeBatch, new long[batched]);
    }
}
