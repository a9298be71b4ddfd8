package dev.safeops.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.MultipleParentClassLoader;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The concrete wrapper classes for one driver, generated once by Byte Buddy and cached per driver
 * connection class: each abstract {@code *Wrapper} gets a subclass whose every JDBC method it leaves
 * abstract, or inherits as an interface default, calls the same method on the wrapped object.
 *
 * <p>The generated classes live in a class loader whose parents are safe-ops' loader and the
 * driver's, so that {@code wrapper.getClass().getClassLoader()} can load the driver's classes (what
 * Flyway's COPY support does), whichever of the two loaders sees the other, or neither. Instances are
 * made through constructor method handles: no reflection on the per-call path.
 */
final class WrapperClasses {

    private static final ClassValue<WrapperClasses> BY_DRIVER_CLASS = new ClassValue<>() {
        @Override
        protected WrapperClasses computeValue(Class<?> driverClass) {
            return new WrapperClasses(driverClass.getClassLoader());
        }
    };

    private final MethodHandle connection;
    private final MethodHandle statement;
    private final MethodHandle prepared;
    private final MethodHandle callable;
    private final MethodHandle resultSet;
    private final MethodHandle metaData;

    private WrapperClasses(ClassLoader driverLoader) {
        ClassLoader parent = new MultipleParentClassLoader.Builder()
                .appendMostSpecific(WrapperClasses.class.getClassLoader(), driverLoader)
                .build();
        connection = constructor(parent, ConnectionWrapper.class, "delegate", Connection.class, StatementGuard.class);
        statement = constructor(parent, StatementWrapper.class, "statement", Statement.class, ConnectionWrapper.class);
        prepared = constructor(parent, PreparedStatementWrapper.class, "prepared", PreparedStatement.class,
                ConnectionWrapper.class, String.class);
        callable = constructor(parent, CallableStatementWrapper.class, "callable", CallableStatement.class,
                ConnectionWrapper.class, String.class);
        resultSet = constructor(parent, ResultSetWrapper.class, "delegate", ResultSet.class, Statement.class);
        metaData = constructor(parent, DatabaseMetaDataWrapper.class, "delegate", DatabaseMetaData.class,
                Connection.class);
    }

    /** The classes for the driver of this connection (found through the innermost connection it wraps). */
    static WrapperClasses forDriverOf(Connection connection) throws java.sql.SQLException {
        Connection driver = connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
        return BY_DRIVER_CLASS.get(driver.getClass());
    }

    ConnectionWrapper connection(Connection delegate, StatementGuard guard) {
        return (ConnectionWrapper) create(connection, delegate, guard);
    }

    StatementWrapper statement(Statement delegate, ConnectionWrapper owner) {
        return (StatementWrapper) create(statement, delegate, owner);
    }

    PreparedStatementWrapper prepared(PreparedStatement delegate, ConnectionWrapper owner, String sql) {
        return (PreparedStatementWrapper) create(prepared, delegate, owner, sql);
    }

    CallableStatementWrapper callable(CallableStatement delegate, ConnectionWrapper owner, String sql) {
        return (CallableStatementWrapper) create(callable, delegate, owner, sql);
    }

    ResultSetWrapper resultSet(ResultSet delegate, Statement owner) {
        return (ResultSetWrapper) create(resultSet, delegate, owner);
    }

    DatabaseMetaDataWrapper metaData(DatabaseMetaData delegate, Connection owner) {
        return (DatabaseMetaDataWrapper) create(metaData, delegate, owner);
    }

    private static Object create(MethodHandle constructor, Object... arguments) {
        try {
            return constructor.invokeWithArguments(arguments);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("could not create a safe-ops JDBC wrapper", e);
        }
    }

    /**
     * Generates the subclass of {@code base} that delegates every method still abstract (or an
     * interface default) to the field {@code delegate}, and returns its constructor.
     */
    private static MethodHandle constructor(ClassLoader parent, Class<?> base, String delegate, Class<?>... parameters) {
        Class<?> generated = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .subclass(base, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                .name(base.getName() + "$Delegating")
                .method(ElementMatchers.isAbstract().or(ElementMatchers.isDefaultMethod()))
                .intercept(MethodCall.invokeSelf().onField(delegate).withAllArguments())
                .make()
                .load(parent, ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        try {
            return MethodHandles.publicLookup()
                    .findConstructor(generated, MethodType.methodType(void.class, parameters))
                    .asType(MethodType.methodType(Object.class, parameters));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Byte Buddy generated " + generated + " without the constructor of " + base, e);
        }
    }
}
