package dev.safeops.jdbc.internal;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * Internal. {@code unwrap} and {@code isWrapperFor} of every safe-ops JDBC wrapper, as HikariCP
 * answers them: the wrapper itself for any type it is (the {@code java.sql} interfaces, the safe-ops
 * types), the wrapped object's answer otherwise.
 */
public final class Unwrapping {

    private Unwrapping() {
    }

    public static <T> T unwrap(Object wrapper, Wrapper wrapped, Class<T> iface) throws SQLException {
        return iface.isInstance(wrapper) ? iface.cast(wrapper) : wrapped.unwrap(iface);
    }

    public static boolean isWrapperFor(Object wrapper, Wrapper wrapped, Class<?> iface) throws SQLException {
        return iface.isInstance(wrapper) || wrapped.isWrapperFor(iface);
    }
}
