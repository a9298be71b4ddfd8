package dev.safeops.flyway;

import static dev.safeops.flyway.FlywayFixture.emptySchema;
import static dev.safeops.flyway.FlywayFixture.flyway;
import static dev.safeops.flyway.FlywayFixture.sqlMigrations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.Policy;
import dev.safeops.SafeOps;
import dev.safeops.SafeOpsException;
import dev.safeops.Schema;
import dev.safeops.Settings;
import dev.safeops.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code Flyway.migrate()} refuses to lose data unless the callback's settings accept it. */
class FlywayDataLossTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path migrations;

    @BeforeEach
    void noSchemaYet() throws SQLException {
        emptySchema(db);
    }

    private void twoMigrations() throws Exception {
        sqlMigrations(migrations, "V1__orders.sql", "CREATE TABLE orders (id int, legacy_note text);\n"
                + "INSERT INTO orders VALUES (1, 'keep');\n", "V2__drop_note.sql",
                "ALTER TABLE orders DROP COLUMN legacy_note;\n");
    }

    @Test
    void refusesASqlMigrationThatWouldDropAColumnHoldingValues() throws Exception {
        twoMigrations();

        assertThatThrownBy(() -> flyway(db, migrations).callbacks(new SafeOpsCallback()).load().migrate())
                .isInstanceOf(FlywayException.class).hasRootCauseInstanceOf(SafeOpsException.class)
                .hasMessageContaining("1 non-null value of column orders.legacy_note");
        assertThat(Schema.columnsOf(db, "orders")).contains("legacy_note");
    }

    @Test
    void dropsTheColumnTheCallbacksSettingsAccept() throws Exception {
        twoMigrations();

        flyway(db, migrations).callbacks(new SafeOpsCallback(Policy.defaults(),
                Settings.defaults().withAcceptedDataLoss("orders.legacy_note"))).load().migrate();

        assertThat(Schema.columnsOf(db, "orders")).doesNotContain("legacy_note");
    }

    /** A Java migration accepting the loss through its own settings. */
    public static final class V3__drop_orders extends SafeJavaMigration {
        @Override
        protected Settings settings() {
            return Settings.defaults().withAcceptedDataLoss("orders");
        }

        @Override
        public void migrate(SafeOps ops) throws Exception {
            ops.dropTable("orders");
        }
    }

    @Test
    void letsAJavaMigrationAcceptTheLossInItsSettings() throws Exception {
        sqlMigrations(migrations, "V1__orders.sql", "CREATE TABLE orders (id int);\nINSERT INTO orders VALUES (1);\n");

        flyway(db, migrations).javaMigrations(new V3__drop_orders()).load().migrate();

        assertThat(Schema.columnsOf(db, "orders")).isEmpty();
    }
}
