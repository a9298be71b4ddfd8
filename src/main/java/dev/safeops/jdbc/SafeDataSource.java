package dev.safeops.jdbc;

import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.jdbc.internal.Unwrapping;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.function.Consumer;
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
    private final Consumer<Outcome> listener;

    private SafeDataSource(DataSource dataSource, Policy policy, Consumer<Outcome> listener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Guards every connection of the data source with {@link Policy#defaults()}. */
    public static SafeDataSource wrap(DataSource dataSource) {
        return wrap(dataSource, Policy.defaults());
    }

    /** Guards every connection of the data source with the given policy. */
    public static SafeDataSource wrap(DataSource dataSource, Policy policy) {
        return new SafeDataSource(dataSource, policy, outcome -> { });
    }

    /**
     * The same data source, whose connections also give every outcome to the listener (see
     * {@link SafeConnection#onOutcome}): the way to collect the skips of code that borrows and returns
     * connections on its own, such as Flyway.
     */
    public SafeDataSource onOutcome(Consumer<Outcome> listener) {
        return new SafeDataSource(dataSource, policy, listener);
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public SafeConnection getConnection() throws SQLException {
        return guarded(dataSource.getConnection());
    }

    @Override
    public SafeConnection getConnection(String username, String password) throws SQLException {
        return guarded(dataSource.getConnection(username, password));
    }

    private SafeConnection guarded(Connection connection) throws SQLException {
        SafeConnection guarded = SafeConnection.wrap(connection, policy);
        guarded.onOutcome(listener);
        return guarded;
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
        return Unwrapping.unwrap(this, dataSource, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, dataSource, iface);
    }

    @Override
    public String toString() {
        return "SafeDataSource[" + dataSource + ", " + policy + "]";
    }
}
