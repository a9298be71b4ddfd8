package dev.safeops.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs inside class loaders built by {@link ClassLoadersTest}, so it names no driver class: it
 * reaches pgjdbc only through the loader it is given, as Flyway's command line does.
 */
public final class IsolatedScenario {

    private IsolatedScenario() {
    }

    /** Skips a missing table on a wrapped connection, then asks the wrapper's loader for pgjdbc as Flyway does. */
    public static String skipAndUnwrap(ClassLoader drivers, String url, String user, String password) throws Exception {
        try (Connection raw = connect(drivers, url, user, password); SafeConnection connection = SafeConnection.wrap(raw);
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE pipeline_templates ADD COLUMN archived boolean");
            Class<?> baseConnection = connection.getClass().getClassLoader().loadClass("org.postgresql.core.BaseConnection");
            Object unwrapped = connection.unwrap(baseConnection);
            connection.rollback();
            return "skipped=" + connection.report().skipped()
                    + " driverClassFromDriverLoader=" + (baseConnection.getClassLoader() == drivers)
                    + " unwrapped=" + baseConnection.isInstance(unwrapped);
        }
    }

    /** What wrapping says when Byte Buddy is missing. */
    public static String wrapWithoutByteBuddy(String url, String user, String password) throws Exception {
        try (Connection raw = connect(IsolatedScenario.class.getClassLoader(), url, user, password)) {
            SafeConnection.wrap(raw);
            return "wrapped";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private static Connection connect(ClassLoader drivers, String url, String user, String password) throws Exception {
        Driver driver = (Driver) Class.forName("org.postgresql.Driver", true, drivers).getDeclaredConstructor().newInstance();
        Properties settings = new Properties();
        settings.setProperty("user", user);
        if (password != null) {
            settings.setProperty("password", password);
        }
        return driver.connect(url, settings);
    }
}
