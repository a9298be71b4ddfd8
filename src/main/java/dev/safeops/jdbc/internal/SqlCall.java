package dev.safeops.jdbc.internal;

import java.sql.SQLException;

/** One call on the driver's object, run by a {@link StatementGuard}. */
@FunctionalInterface
interface SqlCall<T> {
    T call() throws SQLException;
}
