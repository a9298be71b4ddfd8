package dev.safeops.testing;

import dev.safeops.Policy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Answers, before a deployment, whether a migration survives the databases it will meet: it runs the migration on
 * throwaway copies of a {@link TestDatabase}'s set-up, each brought first into a named starting state, and fails
 * with every problem it found.
 * <pre>{@code
 * DriftCheck.of(Migration.scripts(Path.of("src/main/resources/db/V7__modules.sql")))
 *         .withOptionalModulesAbsent("pipeline_*", "admin_*")
 *         .assertSurvives(db);
 * }</pre>
 *
 * <p>Starting states, in this order:
 * <ul>
 *   <li>{@code empty}: the database as the test database's set-up leaves it (nothing, without one);</li>
 *   <li>the states added, in the order they were added: {@code optional modules absent (…)}
 *       ({@link #withOptionalModulesAbsent}) and the caller's own ({@link #withStartingState});</li>
 *   <li>{@code already migrated}: the database as set up, after one run of the migration.</li>
 * </ul>
 *
 * <p>In each state the migration runs twice, and the check fails, naming the state, when a run throws or when the
 * second run changes the schema, shown as a diff of catalog snapshots (tables, columns with type, nullability
 * and default, indexes, constraints, types, functions, triggers): a migration that is safe to run again applies
 * nothing new the second time. In the {@code already migrated} state the first run must change nothing either,
 * so the schema after a repeated run equals the schema after one run. Data is not compared.
 *
 * <p>The migration is any {@link Migration}: SQL files or typed operations with safe-ops, Flyway
 * ({@link FlywayMigration}), or another tool plugged in through the data source. Instances are immutable; each {@code with…} method returns a new check.
 */
public final class DriftCheck {

    private record StartingState(String name, Migration preparation, boolean migrated) {
    }

    private final Migration migration;
    private final List<StartingState> addedStates;

    private DriftCheck(Migration migration, List<StartingState> addedStates) {
        this.migration = migration;
        this.addedStates = List.copyOf(addedStates);
    }

    /** A check of this migration from the {@code empty} and {@code already migrated} states. */
    public static DriftCheck of(Migration migration) {
        return new DriftCheck(Objects.requireNonNull(migration, "migration"), List.of());
    }

    /**
     * Adds the state where the optional modules are not installed: the tables matching these patterns (the globs
     * of {@link Policy#withOptionalTables}: {@code *} any run of characters, {@code ?} one, {@code schema.name}
     * when a pattern has a dot) are dropped, with what depends on them, before the migration runs. Patterns that
     * match no table are a failure of the check, since the state would then test nothing.
     */
    public DriftCheck withOptionalModulesAbsent(String... tablePatterns) {
        Policy patterns = Policy.defaults().withOptionalTables(tablePatterns);
        String name = "optional modules absent (" + String.join(", ", tablePatterns) + ")";
        return with(new StartingState(name, dataSource -> dropTables(dataSource, patterns), false));
    }

    /** Adds a state of the caller's making: {@code preparation} runs on the copy before the migration does. */
    public DriftCheck withStartingState(String name, Migration preparation) {
        return with(new StartingState(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(preparation, "preparation"), false));
    }

    /**
     * Runs the check on copies of the test database's template (the test database itself is not touched).
     *
     * @throws AssertionError listing, state by state, every run that failed and every change a repeated run made
     */
    public void assertSurvives(TestDatabase database) {
        List<StartingState> states = new ArrayList<>();
        states.add(new StartingState("empty", dataSource -> { }, false));
        states.addAll(addedStates);
        states.add(new StartingState("already migrated", migration, true));
        List<String> problems = new ArrayList<>();
        for (StartingState state : states) {
            problems.addAll(check(database, state));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("The migration does not survive every starting state:\n"
                    + String.join("\n", problems));
        }
    }

    private DriftCheck with(StartingState state) {
        List<StartingState> more = new ArrayList<>(addedStates);
        more.add(state);
        return new DriftCheck(migration, more);
    }

    /** The problems found in one state, each starting with the state's name. */
    private List<String> check(TestDatabase database, StartingState state) {
        String prefix = "state \"" + state.name() + "\": ";
        try (ThrowawayDatabase copy = database.copyOfTemplate("drift")) {
            DataSource dataSource = copy.dataSource();
            try {
                state.preparation().migrate(dataSource);
            } catch (Exception e) {
                return List.of(prefix + "preparing the state failed: " + describe(e));
            }
            SchemaSnapshot prepared = snapshot(copy);
            List<String> problems = new ArrayList<>();
            String[] runs = state.migrated() ? new String[] {"second", "third"} : new String[] {"first", "second"};
            SchemaSnapshot before = prepared;
            for (int run = 0; run < runs.length; run++) {
                try {
                    migration.migrate(dataSource);
                } catch (Exception e) {
                    problems.add(prefix + "the " + runs[run] + " run failed: " + describe(e));
                    return problems;
                }
                SchemaSnapshot after = snapshot(copy);
                if ((run > 0 || state.migrated()) && !before.equals(after)) {
                    problems.add(prefix + "the " + runs[run] + " run changed the schema:\n  "
                            + String.join("\n  ", before.diff(after)));
                }
                before = after;
            }
            return problems;
        } catch (Exception e) {
            return List.of(prefix + "the database could not be made or read: " + describe(e));
        }
    }

    private static SchemaSnapshot snapshot(ThrowawayDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            return SchemaSnapshot.of(connection);
        }
    }

    private static void dropTables(DataSource dataSource, Policy patterns) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> matching = new ArrayList<>();
            try (ResultSet tables = statement.executeQuery("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
                    + " ORDER BY 1, 2")) {
                while (tables.next()) {
                    if (patterns.isOptionalTable(tables.getString(1), tables.getString(2))) {
                        matching.add(ThrowawayDatabase.quote(tables.getString(1)) + "."
                                + ThrowawayDatabase.quote(tables.getString(2)));
                    }
                }
            }
            if (matching.isEmpty()) {
                throw new IllegalStateException("no table matches " + String.join(", ", patterns.optionalTables())
                        + ", so this state would test nothing; the test database's set-up must create the optional"
                        + " modules' tables");
            }
            statement.execute("DROP TABLE IF EXISTS " + String.join(", ", matching) + " CASCADE");
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.toString() : message;
    }
}
