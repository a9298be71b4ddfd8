package dev.safeops;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Runs a small guarded script from inside a class loader of {@link DriverMatrixTest}, where
 * safe-ops sees only the pgjdbc (or no pgjdbc) that loader holds. Its methods take and return JDK
 * types only, which both sides of the loader boundary share.
 */
public final class DriverMatrixProbe {

    private DriverMatrixProbe() {
    }

    /**
     * Connects with the pgjdbc of this class's loader, runs the script on table {@code table} in a
     * transaction and commits.
     *
     * @return the report's summary, then {@code |pipelined} or {@code |plain}
     */
    public static String connectAndRun(String url, Properties settings, String table) throws Exception {
        Driver driver = (Driver) Class.forName("org.postgresql.Driver", true, DriverMatrixProbe.class.getClassLoader())
                .getDeclaredConstructor().newInstance();
        try (Connection connection = driver.connect(url, settings)) {
            return run(connection, table);
        }
    }

    /** Runs the script on a connection opened outside this class's loader. */
    public static String run(Connection connection, String table) throws SQLException {
        connection.setAutoCommit(false);
        Report report = SafeOps.on(connection).run(Script.parse("matrix.sql", "CREATE TABLE " + table + " (id int);\n"
                + "ALTER TABLE missing_module ADD COLUMN x int;\n"
                + "ALTER TABLE " + table + " ADD COLUMN a int;\n"
                + "ALTER TABLE also_missing ADD COLUMN y int;\n"
                + "INSERT INTO " + table + " (id, a) VALUES (1, 2);\n"));
        connection.commit();
        return report.summary() + "|" + (PgjdbcSupport.pipelines(connection) ? "pipelined" : "plain");
    }
}
