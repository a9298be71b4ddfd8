package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 42P16 and 42809 become skips only when the catalog confirms the object is there as wanted. */
class GenericSqlStateTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void partitionedSchema() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE actor (actor_id int, name text, CONSTRAINT actor_pkey PRIMARY KEY (actor_id));
                CREATE TABLE payment (id int, paid date) PARTITION BY RANGE (paid);
                CREATE TABLE payment_2022 (id int, paid date);
                ALTER TABLE payment ATTACH PARTITION payment_2022 FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
                CREATE TABLE other_parent (id int, paid date) PARTITION BY RANGE (paid);
                CREATE VIEW actor_names AS SELECT name FROM actor;
                """);
    }

    @Test
    void secondPrimaryKeyOnTheSameColumnsIsASkip() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection)
                    .execute("ALTER TABLE ONLY public.actor ADD CONSTRAINT actor_pkey PRIMARY KEY (actor_id)");

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.sqlState()).isEqualTo("42P16");
            connection.rollback();
        }
    }

    @Test
    void secondPrimaryKeyOnOtherColumnsFails() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE actor ADD PRIMARY KEY (name)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P16");
                        assertThat(e.getMessage()).contains("catalog does not confirm");
                    });
            connection.rollback();
        }
    }

    @Test
    void tableAlreadyAttachedToTheSameParentIsASkip() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection).execute("ALTER TABLE ONLY public.payment ATTACH PARTITION "
                    + "public.payment_2022 FOR VALUES FROM ('2022-01-01') TO ('2023-01-01')");

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.sqlState()).isEqualTo("42809");
            connection.rollback();
        }
    }

    @Test
    void tableAttachedToAnotherParentFails() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE other_parent ATTACH PARTITION payment_2022 "
                    + "FOR VALUES FROM ('2022-01-01') TO ('2023-01-01')"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42809"));
            connection.rollback();
        }
    }

    @Test
    void wrongObjectTypeForAnythingElseFails() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.execute("ALTER TABLE actor_names ADD CONSTRAINT c CHECK (true)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42809");
                        assertThat(e.getMessage()).contains("generic SQLSTATE");
                    });
            connection.rollback();
        }
    }

}
