package dev.safeops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.safeops.Outcome;
import dev.safeops.Policy;
import dev.safeops.Schema;
import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

/** A {@link SafeDataSource} under a real pool and under a real Flyway migrate(). */
class SafeDataSourceTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final String MISSING = "ALTER TABLE pipeline_templates ADD COLUMN archived boolean";

    @BeforeEach
    void emptySchema() throws SQLException {
        Schema.reset(db, "");
    }

    private static HikariDataSource pool(DataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    @Test
    void everyConnectionBorrowedFromAPoolIsGuarded() throws SQLException {
        try (HikariDataSource pool = pool(db.dataSource())) {
            SafeDataSource guarded = SafeDataSource.wrap(pool);
            for (int borrow = 0; borrow < 2; borrow++) {
                try (SafeConnection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    assertThat(statement.execute(MISSING)).isFalse();
                    connection.commit();

                    assertThat(connection.report().outcomes()).hasSize(1);
                    assertThat(connection.unwrap(PGConnection.class).getAutosave()).isEqualTo(AutoSave.NEVER);
                }
            }
        }
    }

    @Test
    void aPoolOfGuardedConnectionsKeepsOnlyTheLastUnitOfWorkOfEach() throws SQLException {
        List<Outcome> seen = new ArrayList<>();
        try (HikariDataSource pool = pool(SafeDataSource.wrap(db.dataSource()).onOutcome(seen::add))) {
            for (int borrow = 0; borrow < 3; borrow++) {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute(MISSING);
                    statement.execute("SELECT 1");
                }
            }
            try (Connection connection = pool.getConnection()) {
                SafeConnection guarded = connection.unwrap(SafeConnection.class);

                assertThat(guarded.report().outcomes()).hasSize(1);
            }
        }
        assertThat(seen).extracting(Outcome::status).containsExactly(Outcome.Status.SKIPPED, Outcome.Status.APPLIED,
                Outcome.Status.SKIPPED, Outcome.Status.APPLIED, Outcome.Status.SKIPPED, Outcome.Status.APPLIED);
    }

    @Test
    void flywayMigratesThroughASafeDataSourceAndSkipsTheMissingModule() throws SQLException {
        List<Outcome> skipped = new ArrayList<>();
        SafeDataSource guarded = SafeDataSource.wrap(db.dataSource(), Policy.defaults().withOptionalTables("pipeline_*"))
                .onOutcome(outcome -> {
                    if (outcome.isSkipped()) {
                        skipped.add(outcome);
                    }
                });

        MigrateResult result = Flyway.configure().dataSource(guarded).locations("classpath:dev/safeops/jdbc/flyway")
                .load().migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(2);
        assertThat(skipped).extracting(Outcome::sql).containsExactly(MISSING);
        assertThat(Schema.columnsOf(db, "users")).containsExactly("id", "email", "password");
        assertThat(Schema.columnsOf(db, "content")).containsExactly("id", "user_id", "project_id");
        assertThat(Schema.strings(db, "SELECT email FROM users ORDER BY id")).containsExactly("ada@example.com",
                "grace@example.com");
    }
}
