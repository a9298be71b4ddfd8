package dev.safeops.jdbc;

import dev.safeops.Policy;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose every connection is a {@link SafeConnection}: give it to code that takes
 * a data source (Flyway's {@code dataSource(…)}, a framework's migration runner) and every statement
 * that code sends is guarded.
 *
 * <p>Guarantees: {@code getConnection} wraps each connection the underlying data source hands out,
 * pooled or not, with this data source's policy; the wrapper is a view of that connection only, so a
 * pool keeps managing the connection itself and each borrowed connection starts with an empty report.
 * {@code unwrap} and {@code isWrapperFor} answer for this object for {@code DataSource} and
 * {@code SafeDataSource}, and for the underlying data source otherwise.
 */
public final class SafeDataSource implements DataSource {

    private final DataSource dataSource;
    private final Policy policy;

    private SafeDataSource(DataSource dataSource, Policy policy) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Guards every connection of the data source with {@link Policy#defaults()}. */
    public static SafeDataSource wrap(DataSource dataSource) {
        return new SafeDataSource(dataSource, Policy.defaults());
    }

    /** Guards every connection of the data source with the given policy. */
    public static SafeDataSource wrap(DataSource dataSource, Policy policy) {
        return new SafeDataSource(dataSource, policy);
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public SafeConnection getConnection() throws SQLException {
        return SafeConnection.wrap(dataSource.getConnection(), policy);
    }

    @Override
    public SafeConnection getConnection(String username, String password) throws SQLException {
        return SafeConnection.wrap(dataSource.getConnection(username, password), policy);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : dataSource.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || dataSource.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "SafeDataSource[" + dataSource + ", " + policy + "]";
    }
}
