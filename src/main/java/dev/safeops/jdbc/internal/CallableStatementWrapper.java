package dev.safeops.jdbc.internal;

import java.sql.CallableStatement;

/**
 * Internal. A guarded {@link CallableStatement}: executions as a prepared statement's; out parameters
 * and everything else are generated delegation.
 */
public abstract class CallableStatementWrapper extends PreparedStatementWrapper implements CallableStatement {

    protected final CallableStatement callable;

    protected CallableStatementWrapper(CallableStatement callable, ConnectionWrapper connection, String sql) {
        super(callable, connection, sql);
        this.callable = callable;
    }
}
