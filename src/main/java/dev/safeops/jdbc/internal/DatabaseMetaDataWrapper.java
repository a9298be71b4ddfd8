package dev.safeops.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** Internal. Metadata whose {@code getConnection()} is the wrapper; everything else is generated delegation. */
public abstract class DatabaseMetaDataWrapper implements DatabaseMetaData {

    protected final DatabaseMetaData delegate;
    private final Connection connection;

    protected DatabaseMetaDataWrapper(DatabaseMetaData delegate, Connection connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    @Override
    public Connection getConnection() {
        return connection;
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
