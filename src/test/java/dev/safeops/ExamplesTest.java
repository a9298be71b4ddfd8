package dev.safeops;

import static dev.safeops.testing.SchemaAssertions.assertThat;
import static dev.safeops.testing.SchemaAssertions.assertThatSchema;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.examples.ConcurrentIndexMigration;
import dev.safeops.examples.FirstMigration;
import dev.safeops.examples.PlainJdbcMigration;
import dev.safeops.examples.ProductionMigration;
import dev.safeops.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples in examples/ run against a real database, so they cannot rot. */
class ExamplesTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeEach
    void coreTablesWithoutOptionalModules() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE users (id bigint PRIMARY KEY);
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);
                """);
    }

    @Test
    void plainJdbcMigrationAppliesCoreChangesAndSkipsMissingModules() throws SQLException {
        try (Connection connection = db.connect()) {
            Report report = PlainJdbcMigration.migrate(connection);

            assertThat(report).applied(5).skipped(3).skippedOnly("42P01");
            assertThatSchema(connection).hasColumn("users", "password").hasIndex("idx_content_user_id");
        }
    }

    @Test
    void plainJdbcMigrationRunsFromItsMainMethod() throws SQLException {
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                + (db.password() == null || db.password().isEmpty() ? "" : "&password=" + db.password());

        PlainJdbcMigration.main(new String[] {url});
        PlainJdbcMigration.main(new String[] {url});

        try (Connection connection = db.connect()) {
            assertThatSchema(connection).hasColumn("content", "project_id", "bigint");
        }
    }

    @Test
    void productionMigrationFromTheReadmeRetriesAStatementOnABusyTable() throws SQLException {
        Report report;
        try (LockHolder holder = LockHolder.on(db, "content").releaseAfterWaiting(150)) {
            report = ProductionMigration.migrate(db.dataSource());
        }

        assertThat(report.applied()).isEqualTo(2);
        assertThat(report.outcomes().get(1).lockRetries()).isPositive();
        assertThat(Schema.columnsOf(db, "content")).contains("archived");
    }

    @Test
    void firstMigrationFromTheReadmeKeepsTheCoreChangesAndSkipsTheMissingModules() throws SQLException {
        Report report = FirstMigration.migrate(db.dataSource(), PROJECT.resolve("examples/migrations"));

        // The summary its comment in the README shows.
        assertThat(report.summary()).isEqualTo("6 applied, 2 skipped (42P01 undefined_table ×2), 8 savepoints");
        assertThat(Schema.columnsOf(db, "users")).contains("password");
    }

    @Test
    void concurrentIndexMigrationFromTheReadmeBuildsAndDropsOutsideTheTransaction() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE content (id bigint PRIMARY KEY, user_id bigint);
                CREATE INDEX idx_content_user_id_old ON content (user_id);
                """);

        Report first = ConcurrentIndexMigration.migrate(db.dataSource());
        Report second = ConcurrentIndexMigration.migrate(db.dataSource());

        assertThat(first.summary()).startsWith("3 applied, 0 skipped");
        assertThat(second.summary()).startsWith("0 applied, 3 skipped");
        assertThat(Schema.indexes(db)).containsExactly("content_pkey", "idx_content_project_id");
    }

    @Test
    void theReadmesExpectationsSampleNamesWhatTheFirstMigrationCreates() throws Exception {
        FirstMigration.migrate(db.dataSource(), PROJECT.resolve("examples/migrations"));
        Matcher sample = Pattern.compile("```\n(# expected\\.txt.*?)```", Pattern.DOTALL).matcher(readme());
        assertThat(sample.find()).isTrue();

        List<Expectation> expectations = Expectation.parseAll("expected.txt", sample.group(1));
        try (Connection connection = db.connect()) {
            for (String created : List.of("table users", "column users.password", "index idx_content_user_id",
                    "type targettype", "constraint content_user_id_users_id_fk")) {
                Expectation expectation = Expectation.parse(created);
                assertThat(expectations).as("README's expected.txt").contains(expectation);
                assertThat(SchemaCheck.presence(connection, expectation)).as(created)
                        .isEqualTo(SchemaCheck.Presence.PRESENT);
            }
        }
    }

    @Test
    void everyJavaSnippetInTheReadmeIsAnExampleTheBuildRuns() throws IOException {
        Matcher snippet = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme());
        List<String> examples;
        try (var files = Files.walk(PROJECT.resolve("examples"))) {
            examples = files.filter(file -> file.toString().endsWith(".java")).flatMap(ExamplesTest::readmeParts).toList();
        }
        int snippets = 0;
        while (snippet.find()) {
            snippets++;
            String code = snippet.group(1);
            assertThat(examples).as("an examples/ file whose README part is\n" + code)
                    .anyMatch(example -> example.contains(withoutComment(code)));
        }
        assertThat(snippets).isPositive();
    }

    private static final Path PROJECT = Path.of(System.getProperty("safeops.project.dir"));

    private static String readme() throws IOException {
        return Files.readString(PROJECT.resolve("README.md"), StandardCharsets.UTF_8);
    }

    /** Each run of lines between "// README:begin" and "// README:end", without their common indentation. */
    private static Stream<String> readmeParts(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> parts = new ArrayList<>();
            int begin = text.indexOf("// README:begin\n");
            while (begin >= 0) {
                int start = begin + "// README:begin\n".length();
                int end = text.indexOf("// README:end", start);
                if (end < 0) {
                    throw new IllegalStateException(file + ": README:begin without README:end");
                }
                parts.add(withoutIndentation(text.substring(start, text.lastIndexOf('\n', end)).lines().toList()));
                begin = text.indexOf("// README:begin\n", end);
            }
            return parts.stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String withoutIndentation(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder part = new StringBuilder();
        lines.forEach(line -> part.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
        return part.toString();
    }

    /** A snippet may open with a comment line of its own (where the code comes from). */
    private static String withoutComment(String code) {
        return code.startsWith("//") ? code.substring(code.indexOf('\n') + 1) : code;
    }
}
