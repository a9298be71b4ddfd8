package dev.safeops.testing;

import dev.safeops.Policy;
import dev.safeops.flyway.SafeJavaMigration;
import dev.safeops.flyway.SafeOpsCallback;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Flyway's {@code migrate()} as a {@link Migration}, for a {@link DriftCheck} or a {@link TestDatabase}'s set-up:
 * <pre>{@code
 * DriftCheck.of(FlywayMigration.locations("filesystem:src/main/resources/db/migration")
 *                 .withPolicy(Policy.defaults().withOptionalTables("pipeline_*")))
 *         .withOptionalModulesAbsent("pipeline_*")
 *         .assertSurvives(db);
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>SQL migrations run statement by statement through a {@link SafeOpsCallback} with the policy
 *       ({@link Policy#defaults()} unless {@link #withPolicy} says otherwise); Java migrations guard themselves
 *       when they extend {@link SafeJavaMigration}.</li>
 *   <li>A database that has a schema but no history table, as one set up with {@code db push} or by hand, is
 *       baselined at version 0, so that every migration runs against what is already there: the drift that
 *       matters. A database with a history table is migrated as Flyway always does, so a second run applies
 *       nothing.</li>
 * </ul>
 * Flyway ({@code org.flywaydb:flyway-core} and {@code flyway-database-postgresql}, 11.7 or later) is an optional
 * dependency of safe-ops: add it with test scope.
 */
public final class FlywayMigration implements Migration {

    private final List<String> locations;
    private final List<JavaMigration> javaMigrations;
    private final Policy policy;

    private FlywayMigration(List<String> locations, List<JavaMigration> javaMigrations, Policy policy) {
        this.locations = List.copyOf(locations);
        this.javaMigrations = List.copyOf(javaMigrations);
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The migrations Flyway finds at these locations, e.g. {@code classpath:db/migration}. */
    public static FlywayMigration locations(String... locations) {
        if (locations.length == 0) {
            throw new IllegalArgumentException("name at least one Flyway location");
        }
        return new FlywayMigration(List.of(locations), List.of(), Policy.defaults());
    }

    /** These Java migrations (typically {@link SafeJavaMigration}s), and nothing from any location. */
    public static FlywayMigration javaMigrations(JavaMigration... migrations) {
        if (migrations.length == 0) {
            throw new IllegalArgumentException("name at least one Java migration");
        }
        return new FlywayMigration(List.of(), List.of(migrations), Policy.defaults());
    }

    /** The same migration with SQL migrations guarded by this policy. */
    public FlywayMigration withPolicy(Policy policy) {
        return new FlywayMigration(locations, javaMigrations, policy);
    }

    @Override
    public void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                // No location at all would mean Flyway's default, classpath:db/migration.
                .locations(locations.toArray(String[]::new))
                .javaMigrations(javaMigrations.toArray(JavaMigration[]::new))
                .callbacks(new SafeOpsCallback(policy))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    @Override
    public String toString() {
        return "Flyway " + (locations.isEmpty() ? "Java migrations " + javaMigrations : "locations " + locations);
    }
}
