package dev.safeops;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/** Connections that do not reveal their driver, as some pools' and tracers' wrappers do. */
public final class HiddenDriver {

    private HiddenDriver() {
    }

    /** The same connection, but it no longer admits to wrapping a pgjdbc connection. */
    public static Connection hide(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
