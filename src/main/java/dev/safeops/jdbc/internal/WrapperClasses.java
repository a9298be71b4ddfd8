package dev.safeops.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    private final Generated connection;
    private final Generated statement;
    private final Generated prepared;
    private final Generated callable;
    private final Generated resultSet;
    private final Generated metaData;

    private WrapperClasses(ClassLoader driverLoader) {
        ClassLoader parent = new MultipleParentClassLoader.Builder()
                .appendMostSpecific(WrapperClasses.class.getClassLoader(), driverLoader)
                .build();
        connection = new Generated(parent, ConnectionWrapper.class, "delegate", Connection.class, StatementGuard.class);
        statement = new Generated(parent, StatementWrapper.class, "statement", Statement.class, ConnectionWrapper.class);
        prepared = new Generated(parent, PreparedStatementWrapper.class, "prepared", PreparedStatement.class,
                ConnectionWrapper.class, String.class);
        callable = new Generated(parent, CallableStatementWrapper.class, "callable", CallableStatement.class,
                ConnectionWrapper.class, String.class);
        resultSet = new Generated(parent, ResultSetWrapper.class, "delegate", ResultSet.class, Statement.class);
        metaData = new Generated(parent, DatabaseMetaDataWrapper.class, "delegate", DatabaseMetaData.class,
                Connection.class);
    }

    /** The classes for the driver of this connection (found through the innermost connection it wraps). */
    static WrapperClasses forDriverOf(Connection connection) throws SQLException {
        Connection driver = connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
        return BY_DRIVER_CLASS.get(driver.getClass());
    }

    // Each call matches its handle's type exactly, so the JIT can inline it like a constructor call.

    ConnectionWrapper connection(Connection delegate, StatementGuard guard) {
        try {
            return (ConnectionWrapper) connection.constructor().invokeExact(delegate, guard);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    StatementWrapper statement(Statement delegate, ConnectionWrapper owner) {
        try {
            return (StatementWrapper) statement.constructor().invokeExact(delegate, owner);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    PreparedStatementWrapper prepared(PreparedStatement delegate, ConnectionWrapper owner, String sql) {
        try {
            return (PreparedStatementWrapper) prepared.constructor().invokeExact(delegate, owner, sql);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    CallableStatementWrapper callable(CallableStatement delegate, ConnectionWrapper owner, String sql) {
        try {
            return (CallableStatementWrapper) callable.constructor().invokeExact(delegate, owner, sql);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    ResultSetWrapper resultSet(ResultSet delegate, Statement owner) {
        try {
            return (ResultSetWrapper) resultSet.constructor().invokeExact(delegate, owner);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    DatabaseMetaDataWrapper metaData(DatabaseMetaData delegate, Connection owner) {
        try {
            return (DatabaseMetaDataWrapper) metaData.constructor().invokeExact(delegate, owner);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    private static RuntimeException failed(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("could not create a safe-ops JDBC wrapper", e);
    }

    /**
     * One wrapper class, generated when first needed (most code never asks for a callable statement
     * or metadata, and each class costs its generation).
     */
    private static final class Generated {
        private final ClassLoader parent;
        private final Class<?> base;
        private final String delegate;
        private final Class<?>[] parameters;
        private volatile MethodHandle constructor;

        Generated(ClassLoader parent, Class<?> base, String delegate, Class<?>... parameters) {
            this.parent = parent;
            this.base = base;
            this.delegate = delegate;
            this.parameters = parameters;
        }

        MethodHandle constructor() {
            MethodHandle made = constructor;
            if (made == null) {
                synchronized (this) {
                    made = constructor;
                    if (made == null) {
                        made = generate(parent, base, delegate, parameters);
                        constructor = made;
                    }
                }
            }
            return made;
        }
    }

    /**
     * Generates the subclass of {@code base} that delegates every method still abstract (or an
     * interface default) to the field {@code delegate}, and returns its constructor.
     */
    private static MethodHandle generate(ClassLoader parent, Class<?> base, String delegate, Class<?>... parameters) {
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
                    .asType(MethodType.methodType(base, parameters));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Byte Buddy generated " + generated + " without the constructor of " + base, e);
        }
    }
}
