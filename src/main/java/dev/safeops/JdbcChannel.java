package dev.safeops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One statement per round trip through plain JDBC, for drivers or wrappers that are not pgjdbc. */
final class JdbcChannel implements Channel {

    private final Connection connection;

    JdbcChannel(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Exchange send(List<String> statements) throws SQLException {
        Map<Integer, String> firstValues = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < statements.size(); i++) {
                try {
                    if (statement.execute(statements.get(i))) {
                        try (ResultSet rows = statement.getResultSet()) {
                            if (rows.next()) {
                                firstValues.put(i, rows.getString(1));
                            }
                        }
                    }
                } catch (SQLException e) {
                    return new Exchange(i, e, firstValues);
                }
            }
        }
        return new Exchange(statements.size(), null, firstValues);
    }

    @Override
    public boolean knownAborted() {
        return false;
    }
}
