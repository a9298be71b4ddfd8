package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a policy lets through against a real database. */
class PolicyTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Policy OPTIONAL_MODULES = Policy.defaults().withOptionalTables("pipeline_*", "admin_*");

    @BeforeEach
    void coreTables() throws SQLException {
        Schema.reset(db, "CREATE TABLE users (id bigint PRIMARY KEY)");
    }

    @Test
    void optionalTablePatternToleratesAMissingModuleTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection, OPTIONAL_MODULES)
                    .addColumn("pipeline_templates", Column.of("archived", "boolean"));

            assertThat(outcome.isSkipped()).isTrue();
            assertThat(outcome.reason()).contains("optional: pipeline_templates");
            connection.rollback();
        }
    }

    @Test
    void optionalTablePatternToleratesAMissingModuleTableInRawSql() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            Outcome outcome = SafeOps.on(connection, OPTIONAL_MODULES)
                    .execute("ALTER TABLE ONLY public.admin_audit_logs ADD COLUMN actor bigint");

            assertThat(outcome.isSkipped()).isTrue();
            connection.rollback();
        }
    }

    @Test
    void optionalTablePatternStillFailsOnAMissingCoreTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, OPTIONAL_MODULES);

            assertThatThrownBy(() -> ops.addColumn("developer_projects", Column.of("name", "text")))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42P01");
                        assertThat(e.getMessage()).contains("optional tables [pipeline_*, admin_*]");
                    });
            connection.rollback();
        }
    }

    @Test
    void strictPolicyFailsOnAMissingTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.strict());

            assertThatThrownBy(() -> ops.execute("ALTER TABLE pipeline_templates ADD COLUMN x int"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
            connection.rollback();
        }
    }

    @Test
    void toleratingOnlyMissingObjectsFailsOnAnExistingTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection, Policy.defaults().tolerating(Tolerance.MISSING));

            assertThatThrownBy(() -> ops.execute("CREATE TABLE users (id int)"))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P07"));
            connection.rollback();
        }
    }

    @Test
    void operationDefaultsDoNotTolerateAMissingSchemaForCreateTable() throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);

            assertThatThrownBy(() -> ops.createTable("no_such_schema.t", Column.of("id", "int")))
                    .isInstanceOfSatisfying(SafeOpsException.class, e -> assertThat(e.getSQLState()).isEqualTo("3F000"));
            connection.rollback();
        }
    }

    @Test
    void policyCanOnlyNarrow() {
        Policy strict = Policy.strict();

        assertThat(strict.tolerating(Tolerance.MISSING).tolerated()).isEmpty();
        assertThat(Policy.defaults().tolerating(Tolerance.EXISTING).tolerated()).containsExactly(Tolerance.EXISTING);
    }

}
