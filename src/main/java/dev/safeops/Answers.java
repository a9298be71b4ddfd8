package dev.safeops;

import java.sql.SQLException;
import java.util.List;

/**
 * The server's answer to every statement sent by {@link Channel#sendEach}, in order: an error or
 * success, and the first value of a statement that returned rows. Unlike an {@link Exchange}, the
 * answers go on past an error, since each statement was its own message to the server.
 *
 * @param answers     one per statement answered; fewer than were sent only when {@code driverError}
 *                    stopped the exchange
 * @param driverError an error the driver raised on its own (not a statement's error) while the
 *                    answer to statement {@code answers.size()} was read; else {@code null}
 */
record Answers(List<Answer> answers, SQLException driverError) {

    Answers {
        answers = List.copyOf(answers);
    }

    /** One statement's answer: {@code error} is null when it succeeded. */
    record Answer(SQLException error, String firstValue) {

        static final Answer OK = new Answer(null, null);

        boolean failed() {
            return error != null;
        }
    }

    Answer get(int statement) {
        return answers.get(statement);
    }

    int size() {
        return answers.size();
    }
}
