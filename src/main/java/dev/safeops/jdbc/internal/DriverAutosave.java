package dev.safeops.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The savepoint pgjdbc itself sends in the same round trip as a statement: with its {@code autosave}
 * mode at {@code always}, pgjdbc writes {@code SAVEPOINT PGJDBC_AUTOSAVE} in front of the statement
 * and, when the statement fails, rolls back to it before throwing. The mode is switched on for the
 * guarded statement only and set back at once, a field of the driver's connection and no round trip;
 * statements sent by anything else keep the connection's own setting.
 *
 * <p>The savepoint is not released after a success, so that no round trip is added: the next one
 * nests inside it, and all of them end with the transaction. PostgreSQL keeps a subtransaction per
 * statement either way; released or not, their number is what {@code Report.savepoints()} counts.
 *
 * <p>pgjdbc is reached through method handles found from the driver's own class loader, never
 * linked: the driver may live in a class loader safe-ops cannot see (an application server's, or the
 * {@code drivers} folder of Flyway's command line), and any pgjdbc version with {@code setAutosave}
 * (42.2 and later) works.
 */
final class DriverAutosave implements Savepoints {

    /** The driver's autosave accessors, per driver connection class; {@code null} where there is no pgjdbc. */
    private static final ClassValue<Handles> HANDLES = new ClassValue<>() {
        @Override
        protected Handles computeValue(Class<?> driverClass) {
            return Handles.find(driverClass.getClassLoader());
        }
    };

    private final Handles handles;
    private final Object connection;

    private DriverAutosave(Handles handles, Object connection) {
        this.handles = handles;
        this.connection = connection;
    }

    /** The autosave transport for this connection, or {@code null} when it does not reveal pgjdbc. */
    static DriverAutosave on(Connection connection) throws SQLException {
        Connection driver = connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
        Handles handles = HANDLES.get(driver.getClass());
        if (handles == null || !connection.isWrapperFor(handles.pgConnection)) {
            return null;
        }
        return new DriverAutosave(handles, connection.unwrap(handles.pgConnection));
    }

    @Override
    public Object enter() throws SQLException {
        Object previous = handles.get(connection);
        if (previous != handles.always) {
            handles.set(connection, handles.always);
        }
        return previous;
    }

    @Override
    public void succeeded(Object previous) throws SQLException {
        restore(previous);
    }

    @Override
    public void failed(Object previous) throws SQLException {
        // pgjdbc has already rolled back to its savepoint (or the statement never reached the server).
        restore(previous);
    }

    private void restore(Object previous) throws SQLException {
        if (previous != handles.always) {
            handles.set(connection, previous);
        }
    }

    /** {@code PGConnection.getAutosave()/setAutosave(AutoSave)} of one pgjdbc. */
    private record Handles(Class<?> pgConnection, MethodHandle getter, MethodHandle setter, Object always) {

        static Handles find(ClassLoader loader) {
            try {
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, loader);
                Class<?> autoSave = Class.forName("org.postgresql.jdbc.AutoSave", false, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle getter = lookup.findVirtual(pgConnection, "getAutosave", MethodType.methodType(autoSave))
                        .asType(MethodType.methodType(Object.class, Object.class));
                MethodHandle setter = lookup.findVirtual(pgConnection, "setAutosave",
                                MethodType.methodType(void.class, autoSave))
                        .asType(MethodType.methodType(void.class, Object.class, Object.class));
                Object always = autoSave.getField("ALWAYS").get(null);
                return new Handles(pgConnection, getter, setter, always);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        Object get(Object connection) throws SQLException {
            try {
                return getter.invokeExact(connection);
            } catch (SQLException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new SQLException("pgjdbc's getAutosave failed", e);
            }
        }

        void set(Object connection, Object mode) throws SQLException {
            try {
                setter.invokeExact(connection, mode);
            } catch (SQLException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new SQLException("pgjdbc's setAutosave failed", e);
            }
        }
    }
}
