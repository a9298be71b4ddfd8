package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The second connection's look-up names the sessions that hold a relation, as a report needs them. */
class BlockerWatchTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void oneTable() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
    }

    @Test
    void listsTheOtherSessionsHoldingLocksOnARelation() throws SQLException {
        try (LockHolder holder = LockHolder.on(db, "users")) {
            Optional<BlockerWatch.Wait> holders = new BlockerWatch(db.dataSource()).holders("\"users\"", -1);

            assertThat(holders).isPresent();
            assertThat(holders.get().relation()).isEqualTo("users");
            assertThat(holders.get().blockers()).singleElement().satisfies(blocker -> {
                assertThat(blocker.pid()).isEqualTo(holder.pid());
                assertThat(blocker.toString()).contains("application_name '" + LockHolder.APPLICATION_NAME + "'",
                        "idle in transaction", "transaction open for", "LOCK TABLE users IN ACCESS SHARE MODE");
            });
        }
    }

    @Test
    void findsNobodyWhenTheRelationIsFree() {
        assertThat(new BlockerWatch(db.dataSource()).holders("\"users\"", -1)).isEmpty();
    }
}
