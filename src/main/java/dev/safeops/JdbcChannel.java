package dev.safeops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One statement per round trip through plain JDBC, for drivers or wrappers that are not pgjdbc. */
final class JdbcChannel implements Channel {

    /** Reads nothing and writes nothing; fails with 25P02 only in an aborted transaction. */
    static final String PROBE = "SELECT 1";

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
                    return new Exchange(i, e, false, firstValues);
                }
            }
        }
        return new Exchange(statements.size(), null, false, firstValues);
    }

    /** One statement per round trip, going on after an error as the server would. */
    @Override
    public Answers sendEach(List<String> statements) throws SQLException {
        List<Answers.Answer> answers = new ArrayList<>(statements.size());
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    String first = null;
                    if (statement.execute(sql)) {
                        try (ResultSet rows = statement.getResultSet()) {
                            first = rows.next() ? rows.getString(1) : null;
                        }
                    }
                    answers.add(new Answers.Answer(null, first));
                } catch (SQLException e) {
                    if (connection.isClosed()) {
                        return new Answers(answers, e);
                    }
                    answers.add(new Answers.Answer(e, null));
                }
            }
        }
        return new Answers(answers, null);
    }

    /** The driver's state is hidden: asks the server with a statement that cannot change anything. */
    @Override
    public boolean aborted() throws SQLException {
        if (connection.getAutoCommit()) {
            return false;
        }
        Exchange probe = send(List.of(PROBE));
        if (!probe.failed()) {
            return false;
        }
        if (SqlStates.IN_FAILED_SQL_TRANSACTION.equals(probe.error().getSQLState())) {
            return true;
        }
        throw probe.error();
    }
}
