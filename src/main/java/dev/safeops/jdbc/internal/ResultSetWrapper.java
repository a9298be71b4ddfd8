package dev.safeops.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Internal. A result set whose {@code getStatement()} is the wrapper; everything else is generated delegation. */
public abstract class ResultSetWrapper implements ResultSet {

    protected final ResultSet delegate;
    private final Statement statement;

    protected ResultSetWrapper(ResultSet delegate, Statement statement) {
        this.delegate = delegate;
        this.statement = statement;
    }

    /** Whether this wraps that result set: a statement hands out one wrapper per result set. */
    boolean wraps(ResultSet resultSet) {
        return delegate == resultSet;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, delegate, iface);
    }
}
