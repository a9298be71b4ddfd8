package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Whether a connection can take the pipelined channel: pgjdbc is visible to safe-ops, the
 * connection is (or wraps) one of its connections, and its internal API has the shapes
 * {@link PipelinedChannel} was compiled against (they changed within 42.2.x: 42.2.10 still hands
 * rows over as byte[][], 42.2.16 as Tuple). Everything is looked
 * up by name, so this class loads, and answers "no", without pgjdbc or with another version of it.
 */
final class PgjdbcSupport {

    private static final Class<?> BASE_CONNECTION = compatibleBaseConnection();

    private PgjdbcSupport() {
    }

    static boolean pipelines(Connection connection) throws SQLException {
        return BASE_CONNECTION != null && connection.isWrapperFor(BASE_CONNECTION);
    }

    /** pgjdbc's {@code BaseConnection} when every internal PipelinedChannel uses is there as expected, else null. */
    private static Class<?> compatibleBaseConnection() {
        try {
            ClassLoader loader = PgjdbcSupport.class.getClassLoader();
            Class<?> baseConnection = load("org.postgresql.core.BaseConnection", loader);
            Class<?> query = load("org.postgresql.core.Query", loader);
            Class<?> field = load("org.postgresql.core.Field", loader);
            Class<?> resultCursor = load("org.postgresql.core.ResultCursor", loader);
            Class<?> resultHandler = load("org.postgresql.core.ResultHandler", loader);
            Class<?> queryExecutor = load("org.postgresql.core.QueryExecutor", loader);
            Class<?> parameterList = load("org.postgresql.core.ParameterList", loader);
            Class<?> sqlCommand = load("org.postgresql.core.SqlCommand", loader);
            baseConnection.getMethod("getQueryExecutor");
            baseConnection.getMethod("getTransactionState");
            baseConnection.getMethod("getAutosave");
            baseConnection.getMethod("setAutosave", load("org.postgresql.jdbc.AutoSave", loader));
            resultHandler.getMethod("handleResultRows", query, arrayOf(field), List.class, resultCursor);
            // Older 42.2 releases pass rows as byte[][] (the oldest also counts as int): plain JDBC for them.
            resultHandler.getMethod("handleCommandStatus", String.class, long.class, long.class);
            load("org.postgresql.core.Tuple", loader).getMethod("get", int.class);
            queryExecutor.getMethod("wrap", List.class);
            queryExecutor.getMethod("execute", query, parameterList, resultHandler, int.class, int.class, int.class);
            load("org.postgresql.core.NativeQuery", loader)
                    .getConstructor(String.class, int[].class, boolean.class, sqlCommand);
            sqlCommand.getField("BLANK");
            load("org.postgresql.util.PSQLException", loader).getMethod("getServerErrorMessage");
            return baseConnection;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    private static Class<?> arrayOf(Class<?> type) {
        return type.arrayType();
    }
}
