package dev.safeops.jdbc.internal;

import dev.safeops.Policy;
import dev.safeops.jdbc.SafeConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/** Internal. Makes the wrappers behind {@link SafeConnection#wrap(Connection, Policy)}. */
public final class Wrappers {

    private Wrappers() {
    }

    public static SafeConnection connection(Connection connection, Policy policy) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(policy, "policy");
        if (connection instanceof ConnectionWrapper wrapper && wrapper.policy() == policy) {
            return wrapper;
        }
        WrapperClasses classes;
        try {
            classes = WrapperClasses.forDriverOf(connection);
        } catch (NoClassDefFoundError e) {
            if (String.valueOf(e.getMessage()).contains("net/bytebuddy")) {
                throw new IllegalStateException("SafeConnection needs Byte Buddy to generate its JDBC wrappers, and "
                        + "net.bytebuddy:byte-buddy is not on the class path (safe-ops declares it optional). Add "
                        + "net.bytebuddy:byte-buddy 1.18 or later to the application's dependencies.", e);
            }
            throw e;
        }
        StatementGuard guard = new StatementGuard(connection, policy, Savepoints.on(connection), classes);
        return classes.connection(connection, guard);
    }
}
