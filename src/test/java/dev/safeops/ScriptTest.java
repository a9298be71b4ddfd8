package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScriptTest {

    private static List<String> sqls(String text) {
        return Script.parse("test.sql", text).statements().stream().map(ScriptStatement::sql).toList();
    }

    private static List<Integer> lines(String text) {
        return Script.parse("test.sql", text).statements().stream().map(s -> s.location().line()).toList();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String text) {
        return assertThatThrownBy(() -> Script.parse("test.sql", text)).isInstanceOf(InvalidScriptException.class);
    }

    private static boolean forbidden(String sql) {
        return new ScriptStatement(0, sql, new Location("test.sql", 1)).forbiddenInTransaction();
    }

    @Nested
    class Splitting {

        @Test
        void statements_are_split_at_semicolons() {
            assertThat(sqls("select 1; select 2;")).containsExactly("select 1", "select 2");
        }

        @Test
        void a_semicolon_inside_a_string_does_not_split() {
            assertThat(sqls("select 'a;b'; select 2;")).containsExactly("select 'a;b'", "select 2");
        }

        @Test
        void a_backslash_escaped_quote_in_an_escape_string_does_not_end_it() {
            assertThat(sqls("select E'\\';'; select 2;")).containsExactly("select E'\\';'", "select 2");
        }

        @Test
        void a_backslash_before_the_quote_of_a_plain_string_does_not_escape_it() {
            assertThat(sqls("select 'C:\\'; select 2;")).containsExactly("select 'C:\\'", "select 2");
        }

        @Test
        void a_semicolon_inside_a_quoted_identifier_does_not_split() {
            assertThat(sqls("select \"semi;colon\" from t; select 2"))
                    .containsExactly("select \"semi;colon\" from t", "select 2");
        }

        @Test
        void a_semicolon_inside_a_dollar_quote_does_not_split() {
            assertThat(sqls("select $$a;b$$; select 2")).containsExactly("select $$a;b$$", "select 2");
        }

        @Test
        void a_different_tag_inside_a_tagged_dollar_quote_does_not_end_it() {
            assertThat(sqls("select $fn$ x $$ ; $$ y $fn$; select 2"))
                    .containsExactly("select $fn$ x $$ ; $$ y $fn$", "select 2");
        }

        @Test
        void positional_parameters_are_not_dollar_quotes() {
            assertThat(sqls("select $1; select $2, 'x;y';")).containsExactly("select $1", "select $2, 'x;y'");
        }

        @Test
        void a_dollar_inside_an_identifier_is_not_a_dollar_quote() {
            assertThat(sqls("select a$b from t; select 1 as x$$; select 2"))
                    .containsExactly("select a$b from t", "select 1 as x$$", "select 2");
        }

        @Test
        void a_semicolon_inside_a_line_comment_does_not_split() {
            assertThat(sqls("select 1 -- not here; nor here;\n+ 1; select 2"))
                    .containsExactly("select 1 -- not here; nor here;\n+ 1", "select 2");
        }

        @Test
        void a_semicolon_inside_a_nested_block_comment_does_not_split() {
            assertThat(sqls("select 1 /* a /* ; */ still ; */ + 1; select 2"))
                    .containsExactly("select 1 /* a /* ; */ still ; */ + 1", "select 2");
        }

        @Test
        void a_semicolon_inside_parentheses_does_not_split_as_in_psql() {
            assertThat(sqls("select (1;\n2); select 3")).containsExactly("select (1;\n2)", "select 3");
        }

        @Test
        void a_do_block_is_one_statement() {
            String doBlock = "DO $$\nBEGIN\n  RAISE NOTICE 'x;y';\n  PERFORM 1;\nEND\n$$";
            assertThat(sqls(doBlock + ";\nselect 2;")).containsExactly(doBlock, "select 2");
        }

        @Test
        void a_do_block_with_a_tag_and_language_is_one_statement() {
            String doBlock = "DO LANGUAGE plpgsql $body$ BEGIN PERFORM 1; END $body$";
            assertThat(sqls(doBlock + "; select 2")).containsExactly(doBlock, "select 2");
        }

        @Test
        void a_plpgsql_function_body_is_one_statement() {
            String function = """
                    CREATE OR REPLACE FUNCTION touch() RETURNS trigger
                        LANGUAGE plpgsql
                        AS $function$
                    BEGIN
                        NEW.updated_at := now();
                        RETURN NEW;
                    END;
                    $function$""";
            assertThat(sqls(function + ";\nALTER FUNCTION touch() OWNER TO app;"))
                    .containsExactly(function, "ALTER FUNCTION touch() OWNER TO app");
        }

        @Test
        void a_sql_standard_function_body_is_one_statement_as_in_psql() {
            String function = """
                    CREATE FUNCTION f() RETURNS int LANGUAGE sql
                    BEGIN ATOMIC
                      SELECT 1;
                      SELECT CASE WHEN true THEN 2 ELSE 3 END;
                    END""";
            assertThat(sqls(function + ";\nselect 4;")).containsExactly(function, "select 4");
        }

        @Test
        void a_sql_standard_procedure_body_with_or_replace_is_one_statement() {
            assertThat(sqls("create or replace procedure p() begin atomic select 1; end; select 2"))
                    .containsExactly("create or replace procedure p() begin atomic select 1; end", "select 2");
        }

        @Test
        void begin_and_end_outside_a_function_definition_do_not_affect_splitting() {
            assertThat(sqls("BEGIN; select 1; END;")).containsExactly("BEGIN", "select 1", "END");
        }

        @Test
        void a_case_expression_in_a_sql_function_without_begin_does_not_affect_splitting() {
            assertThat(sqls("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END; select 2"))
                    .containsExactly("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END",
                            "select 2");
        }

        @Test
        void a_last_statement_without_a_semicolon_counts() {
            assertThat(sqls("select 1;\nselect 2\n")).containsExactly("select 1", "select 2");
        }

        @Test
        void empty_statements_are_dropped() {
            assertThat(sqls(";;select 1;;; ;\n;select 2;;")).containsExactly("select 1", "select 2");
        }

        @Test
        void statement_indexes_count_only_real_statements() {
            assertThat(Script.parse("test.sql", "select 1;;select 2;").statements())
                    .extracting(ScriptStatement::index).containsExactly(0, 1);
        }

        @Test
        void leading_comments_and_whitespace_are_not_part_of_the_statement() {
            assertThat(sqls("-- header\n/* block */\n  select 1;")).containsExactly("select 1");
        }

        @Test
        void comments_inside_a_statement_are_kept_verbatim() {
            assertThat(sqls("select 1, -- first\n  /* second */ 2;"))
                    .containsExactly("select 1, -- first\n  /* second */ 2");
        }

        @Test
        void a_comment_after_the_last_token_is_not_part_of_the_statement() {
            assertThat(sqls("select 1 -- trailing\n; select 2 /* trailing */")).containsExactly("select 1", "select 2");
        }

        @Test
        void crlf_line_endings_are_kept_inside_statements() {
            assertThat(sqls("select\r\n1;\r\nselect 2;\r\n")).containsExactly("select\r\n1", "select 2");
        }

        @Test
        void a_byte_order_mark_at_the_start_is_ignored() {
            assertThat(sqls("\uFEFFselect 1;")).containsExactly("select 1");
        }
    }

    @Nested
    class Locations {

        @Test
        void a_statement_is_located_at_the_line_of_its_first_token() {
            assertThat(lines("\n\n  -- comment\n  select\n 1;")).containsExactly(4);
        }

        @Test
        void lines_after_a_multi_line_string_are_right() {
            assertThat(lines("select 'a\nb\nc';\nselect 2;")).containsExactly(1, 4);
        }

        @Test
        void lines_after_a_multi_line_dollar_quote_are_right() {
            assertThat(lines("DO $$\nBEGIN\nEND\n$$;\n\nselect 2;")).containsExactly(1, 6);
        }

        @Test
        void lines_after_a_multi_line_comment_are_right() {
            assertThat(lines("/*\n * header\n */\nselect 1; /* a\nb */ select 2;")).containsExactly(4, 5);
        }

        @Test
        void lines_with_crlf_endings_are_right() {
            assertThat(lines("select 1;\r\n\r\nselect\r\n 2;\r\nselect 3;")).containsExactly(1, 3, 5);
        }

        @Test
        void a_byte_order_mark_does_not_shift_lines() {
            assertThat(lines("\uFEFFselect 1;\nselect 2;")).containsExactly(1, 2);
        }

        @Test
        void a_location_names_the_script() {
            ScriptStatement statement = Script.parse("V2__users.sql", "\nselect 1;").statements().get(0);
            assertThat(statement.location()).isEqualTo(new Location("V2__users.sql", 2));
            assertThat(statement.location()).hasToString("V2__users.sql:2");
        }
    }

    @Nested
    class Rejections {

        @Test
        void an_unterminated_string_is_rejected_with_file_and_starting_line() {
            assertRejected("select 1;\nselect 'oops;\nselect 2;")
                    .hasMessage("test.sql:2: unterminated string literal starting at line 2");
        }

        @Test
        void an_unterminated_quoted_identifier_is_rejected_with_file_and_starting_line() {
            assertRejected("select 1;\n\nselect \"oops;")
                    .hasMessage("test.sql:3: unterminated quoted identifier starting at line 3");
        }

        @Test
        void an_unterminated_dollar_quote_is_rejected_with_file_tag_and_starting_line() {
            assertRejected("select 1;\nCREATE FUNCTION f() RETURNS void AS $body$\nBEGIN END;\n$$;")
                    .hasMessage("test.sql:2: unterminated dollar-quoted string $body$ starting at line 2");
        }

        @Test
        void the_restrict_lines_of_recent_pg_dump_output_are_skipped() {
            Script script = Script.parse("dump.sql", "\\restrict AbC123\nSET x = 1;\n\\unrestrict AbC123\n");
            assertThat(script.statements()).extracting(ScriptStatement::sql).containsExactly("SET x = 1");
        }

        @Test
        void a_restrict_line_inside_a_statement_is_still_rejected() {
            assertRejected("select\n\\restrict AbC123\n1;").hasMessageContaining("meta-command \\restrict");
        }

        @Test
        void an_unterminated_block_comment_is_rejected_with_file_and_starting_line() {
            assertRejected("select 1;\n/* a /* b */\nselect 2;")
                    .hasMessage("test.sql:2: unterminated block comment starting at line 2");
        }

        @Test
        void a_psql_connect_command_is_rejected() {
            assertRejected("select 1;\n\\connect other_db\nselect 2;")
                    .hasMessage("test.sql:2: psql meta-command \\connect is not supported by safe-ops (line 2)");
        }

        @Test
        void a_psql_set_command_is_rejected() {
            assertRejected("\\set x 1\nselect :x;")
                    .hasMessage("test.sql:1: psql meta-command \\set is not supported by safe-ops (line 1)");
        }

        @Test
        void a_psql_include_command_is_rejected() {
            assertRejected("select 1;\n\n\\i other.sql")
                    .hasMessage("test.sql:3: psql meta-command \\i is not supported by safe-ops (line 3)");
        }

        @Test
        void a_psql_end_of_data_marker_is_rejected() {
            assertRejected("select 1;\n\\.\n")
                    .hasMessage("test.sql:2: psql meta-command \\. is not supported by safe-ops (line 2)");
        }

        @Test
        void a_psql_command_after_sql_on_the_same_line_is_rejected() {
            assertRejected("select 1 \\gset\n")
                    .hasMessage("test.sql:1: psql meta-command \\gset is not supported by safe-ops (line 1)");
        }

        @Test
        void a_backslash_inside_strings_dollar_quotes_and_comments_is_accepted() {
            assertThat(sqls("select '\\connect', E'\\\\n', $$\\i x$$ /* \\set */ -- \\.\n;"))
                    .containsExactly("select '\\connect', E'\\\\n', $$\\i x$$");
        }

        @Test
        void copy_from_stdin_is_rejected() {
            assertRejected("select 1;\nCOPY t FROM STDIN;\n1\t2\n\\.\n")
                    .hasMessage("test.sql:2: COPY … FROM STDIN reads inline data, which safe-ops does not run; "
                            + "load data with a separate tool");
        }

        @Test
        void copy_from_stdin_is_rejected_in_lower_case_with_columns_and_options() {
            assertRejected("copy public.t (a, b) from stdin with (format csv);")
                    .hasMessageStartingWith("test.sql:1: COPY … FROM STDIN reads inline data");
        }

        @Test
        void copy_from_stdin_is_rejected_before_its_inline_data_is_read() {
            // the data line has an unbalanced quote; the COPY is the first problem
            assertRejected("COPY t FROM stdin;\nit's data\n\\.\n")
                    .hasMessageStartingWith("test.sql:1: COPY … FROM STDIN");
        }

        @Test
        void copy_to_stdout_is_an_ordinary_statement() {
            assertThat(sqls("COPY t TO STDOUT;")).containsExactly("COPY t TO STDOUT");
        }

        @Test
        void copy_from_a_file_is_an_ordinary_statement() {
            assertThat(sqls("COPY t FROM '/tmp/stdin.csv';")).containsExactly("COPY t FROM '/tmp/stdin.csv'");
        }

        @Test
        void copy_of_a_query_reading_a_table_named_stdin_is_an_ordinary_statement() {
            assertThat(sqls("COPY (SELECT * FROM stdin) TO STDOUT;"))
                    .containsExactly("COPY (SELECT * FROM stdin) TO STDOUT");
        }

        @Test
        void turning_standard_conforming_strings_off_is_rejected() {
            assertRejected("select 1;\nSET standard_conforming_strings = off;")
                    .hasMessageStartingWith("test.sql:2: SET standard_conforming_strings = off is not supported");
        }

        @ParameterizedTest(name = "{0} is rejected")
        @ValueSource(strings = {"SET standard_conforming_strings TO 'off'", "set session standard_conforming_strings = false",
            "SET LOCAL standard_conforming_strings = 0", "SET standard_conforming_strings = no"})
        void every_spelling_of_turning_standard_conforming_strings_off_is_rejected(String sql) {
            assertRejected(sql).hasMessageContaining("standard_conforming_strings = off is not supported");
        }

        @Test
        void turning_standard_conforming_strings_on_is_accepted() {
            assertThat(sqls("SET standard_conforming_strings = on;")).hasSize(1);
        }

        @Test
        void a_parenthesis_left_open_at_the_end_is_rejected() {
            assertRejected("select 1;\nselect (1;\nselect 2;")
                    .hasMessage("test.sql:2: parenthesis opened at line 2 is never closed, "
                            + "so the rest of the script would run as one statement");
        }

        @Test
        void a_begin_atomic_without_end_is_rejected() {
            assertRejected("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\nSELECT 1;\nselect 2;")
                    .hasMessage("test.sql:2: BEGIN at line 2 has no matching END, "
                            + "so the rest of the script would run as one statement");
        }

        @Test
        void a_number_with_trailing_junk_is_rejected() {
            assertRejected("select 1;\nselect 1e5$$;$$;")
                    .hasMessage("test.sql:2: trailing junk after numeric literal \"1e5$$\" at line 2");
        }

        @Test
        void a_nul_character_is_rejected_as_binary() {
            assertRejected("select 1;\nselect\0 2;").hasMessageStartingWith("test.sql:2: binary file");
        }

        @Test
        void an_empty_script_is_rejected() {
            assertRejected("").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void a_script_of_whitespace_and_comments_is_rejected() {
            assertRejected("\n  -- nothing\n/* here */\n").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void a_script_of_only_empty_statements_is_rejected() {
            assertRejected(" ; ;;\n").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void the_exception_carries_the_location() {
            assertThatThrownBy(() -> Script.parse("x.sql", "select 1;\n\\q"))
                    .isInstanceOfSatisfying(InvalidScriptException.class,
                            e -> assertThat(e.location()).isEqualTo(new Location("x.sql", 2)));
        }
    }

    @Nested
    class Reading {

        @TempDir
        Path dir;

        @Test
        void a_utf8_file_is_read_and_named_by_its_path() throws IOException {
            Path file = Files.writeString(dir.resolve("V1.sql"), "CREATE DOMAIN \"bıgınt\" AS bigint;\nselect 'é';");
            Script script = Script.read(file);
            assertThat(script.name()).isEqualTo(file.toString());
            assertThat(script.statements()).extracting(ScriptStatement::sql, s -> s.location().line())
                    .containsExactly(tuple("CREATE DOMAIN \"bıgınt\" AS bigint", 1), tuple("select 'é'", 2));
        }

        @Test
        void a_utf8_byte_order_mark_is_stripped() throws IOException {
            Path file = dir.resolve("bom.sql");
            Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "select 1;".getBytes(StandardCharsets.UTF_8)));
            assertThat(Script.read(file).statements().get(0).sql()).isEqualTo("select 1");
        }

        @Test
        void invalid_utf8_is_rejected_with_its_line() throws IOException {
            Path file = dir.resolve("latin1.sql");
            Files.write(file, "select 1;\nselect 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":2: not valid UTF-8");
        }

        @Test
        void a_file_with_a_nul_byte_is_rejected_as_binary() throws IOException {
            Path file = dir.resolve("dump.sql");
            Files.write(file, "select 1;\nselect 2;\0\0".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":2: binary file");
        }

        @Test
        void a_binary_file_that_is_also_invalid_utf8_is_rejected_as_binary() throws IOException {
            Path file = dir.resolve("dump.sql.gz");
            Files.write(file, new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00});
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":1: binary file");
        }

        @Test
        void a_missing_file_is_rejected_naming_the_file_and_the_reason() {
            Path file = dir.resolve("missing.sql");
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage(file + ":1: cannot read " + file + ": no such file");
        }

        @Test
        void a_directory_is_rejected_naming_the_file_and_the_reason() {
            assertThatThrownBy(() -> Script.read(dir))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(dir + ":1: cannot read " + dir + ": ")
                    .hasMessageContaining("directory")
                    .hasCauseInstanceOf(IOException.class);
        }

        @Test
        void an_empty_file_is_rejected() throws IOException {
            Path file = Files.writeString(dir.resolve("empty.sql"), "");
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage(file + ":1: no SQL statements in " + file);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] both = new byte[a.length + b.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            return both;
        }
    }

    @Nested
    class ForbiddenInTransaction {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "CREATE INDEX CONCURRENTLY t_c ON t(c)",
            "create unique index concurrently if not exists t_c on t(c)",
            "DROP INDEX CONCURRENTLY t_c",
            "REINDEX TABLE CONCURRENTLY t",
            "REINDEX INDEX CONCURRENTLY t_c",
            "REINDEX (CONCURRENTLY) TABLE t",
            "REINDEX (VERBOSE, CONCURRENTLY true) TABLE t",
            "REINDEX SCHEMA public",
            "REINDEX DATABASE app",
            "REINDEX SYSTEM",
            "VACUUM",
            "VACUUM (ANALYZE, VERBOSE) t",
            "CREATE DATABASE app",
            "DROP DATABASE IF EXISTS app",
            "ALTER DATABASE app SET TABLESPACE fast",
            "ALTER DATABASE app WITH TABLESPACE fast",
            "CREATE TABLESPACE fast LOCATION '/ssd'",
            "DROP TABLESPACE fast",
            "ALTER SYSTEM SET work_mem = '64MB'",
            "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p",
            "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (copy_data = false)",
            "DROP SUBSCRIPTION s",
            "ALTER SUBSCRIPTION s REFRESH PUBLICATION",
            "ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = false)",
            "ALTER SUBSCRIPTION s SET PUBLICATION p2",
            "ALTER SUBSCRIPTION s ADD PUBLICATION p2 WITH (refresh = true)",
            "ALTER SUBSCRIPTION s DROP PUBLICATION p2",
            "ALTER SUBSCRIPTION s SET (failover = true)",
            "ALTER SUBSCRIPTION s SET (two_phase = false)",
            "ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY",
            "CLUSTER",
            "CLUSTER VERBOSE",
            "CLUSTER (VERBOSE)",
            "DISCARD ALL",
            "COMMIT PREPARED 'tx1'",
            "ROLLBACK PREPARED 'tx1'",
        })
        void is_true_for(String sql) {
            assertThat(forbidden(sql)).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "CREATE INDEX t_c ON t(c)",
            "CREATE INDEX concurrently_idx ON t(c)",
            "CREATE INDEX \"concurrently\" ON t(c)",
            "DROP INDEX t_c",
            "REINDEX TABLE t",
            "REINDEX (VERBOSE) INDEX t_c",
            "REINDEX (CONCURRENTLY false) TABLE t",
            "ANALYZE t",
            "ALTER DATABASE app SET work_mem = '64MB'",
            "ALTER DATABASE app SET default_tablespace = fast",
            "ALTER DATABASE app CONNECTION LIMIT 5",
            "ALTER TABLESPACE fast OWNER TO admin",
            "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (connect = false)",
            "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (create_slot = false)",
            "ALTER SUBSCRIPTION s SET PUBLICATION p2 WITH (refresh = false)",
            "ALTER SUBSCRIPTION s ENABLE",
            "ALTER SUBSCRIPTION s DISABLE",
            "ALTER SUBSCRIPTION s SET (two_phase = true)",
            "ALTER SUBSCRIPTION s SET (binary = true)",
            "ALTER TABLE measurements DETACH PARTITION measurements_2020",
            "ALTER TABLE t ADD COLUMN concurrently_added int",
            "CLUSTER t USING t_pkey",
            "CLUSTER VERBOSE t",
            "CLUSTER (VERBOSE) t",
            "DISCARD PLANS",
            "COMMIT",
            "PREPARE TRANSACTION 'tx1'",
            "SELECT 'VACUUM'",
            "SELECT 'CREATE INDEX CONCURRENTLY x ON t(c)'",
        })
        void is_false_for(String sql) {
            assertThat(forbidden(sql)).isFalse();
        }

        @Test
        void a_comment_containing_concurrently_does_not_count() {
            assertThat(forbidden("CREATE INDEX /* CONCURRENTLY */ t_c ON t(c)")).isFalse();
            assertThat(forbidden("CREATE INDEX -- CONCURRENTLY\n t_c ON t(c)")).isFalse();
        }

        @Test
        void keywords_are_compared_case_insensitively() {
            assertThat(forbidden("Create Index Concurrently t_c On t(c)")).isTrue();
        }

        @Test
        void a_comment_before_the_keyword_does_not_hide_it() {
            assertThat(forbidden("CREATE INDEX /* online */ CONCURRENTLY t_c ON t(c)")).isTrue();
        }

        @Test
        void statements_read_from_a_script_answer_too() {
            Script script = Script.parse("test.sql", "CREATE TABLE t(c int);\nCREATE INDEX CONCURRENTLY t_c ON t(c);");
            assertThat(script.statements()).extracting(ScriptStatement::forbiddenInTransaction)
                    .containsExactly(false, true);
        }

        @Test
        void transaction_control_statements_are_recognised() {
            Script script = Script.parse("test.sql",
                    "BEGIN; START /* now */ TRANSACTION; COMMIT; ROLLBACK; SAVEPOINT a; CREATE TABLE begin_(c int)");
            assertThat(script.statements()).extracting(ScriptStatement::transactionControl)
                    .containsExactly(true, true, true, true, true, false);
        }
    }

    @Nested
    class Values {

        @Test
        void statements_are_unmodifiable() {
            Script script = Script.parse("test.sql", "select 1;");
            assertThatThrownBy(() -> script.statements().add(script.statements().get(0)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void a_script_can_be_made_of_statements_of_another_keeping_their_locations() {
            Script whole = Script.parse("test.sql", "select 1;\nselect 2;\nselect 3;");
            Script part = Script.of("part", whole.statements().subList(1, 3));
            assertThat(part.statements()).extracting(s -> s.location().toString())
                    .containsExactly("test.sql:2", "test.sql:3");
        }

        @Test
        void size_is_the_number_of_statements() {
            assertThat(Script.parse("test.sql", "select 1; select 2").size()).isEqualTo(2);
        }

        @Test
        void name_is_the_name_given() {
            assertThat(Script.parse("migrations/V1.sql", "select 1").name()).isEqualTo("migrations/V1.sql");
        }

        @Test
        void a_location_needs_a_positive_line() {
            assertThatThrownBy(() -> new Location("f.sql", 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_statement_needs_sql() {
            assertThatThrownBy(() -> new ScriptStatement(0, " ", new Location("f.sql", 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void an_invalid_script_exception_is_an_illegal_argument_exception() {
            assertThat(new InvalidScriptException(new Location("f.sql", 3), "bad"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("f.sql:3: bad");
        }
    }

    @Nested
    class PagilaSchema {

        private final Script pagila = Script.read(Pagila.schema());

        @Test
        void has_as_many_statements_as_psql_sends() {
            // counted by running the file through psql 15 against a server with log_statement = all
            assertThat(pagila.size()).isEqualTo(377);
        }

        @Test
        void the_first_statement_follows_the_dump_header() {
            ScriptStatement first = pagila.statements().get(0);
            assertThat(first.sql()).isEqualTo("SET statement_timeout = 0");
            assertThat(first.location().line()).isEqualTo(8);
        }

        @Test
        void a_function_whose_body_contains_semicolons_is_one_statement_at_its_line() {
            ScriptStatement function = statementStartingWith("CREATE FUNCTION public.get_customer_balance(");
            assertThat(function.location().line()).isEqualTo(117);
            assertThat(function.sql())
                    .contains("AND payment.customer_id = p_customer_id;")
                    .contains("RETURN v_rentfees + v_overfees - v_payments;")
                    .endsWith("END\n$$");
            ScriptStatement next = pagila.statements().get(function.index() + 1);
            assertThat(next.sql()).startsWith("ALTER FUNCTION public.get_customer_balance(");
            assertThat(next.location().line()).isEqualTo(156);
        }

        @Test
        void a_function_quoted_with_a_tag_is_one_statement_at_its_line() {
            ScriptStatement function = statementStartingWith("CREATE FUNCTION public.rewards_report(");
            assertThat(function.location().line()).isEqualTo(292);
            assertThat(function.sql()).endsWith("$_$");
        }

        @Test
        void a_quoted_non_ascii_identifier_is_kept() {
            ScriptStatement domain = statementStartingWith("CREATE DOMAIN");
            assertThat(domain.sql()).isEqualTo("CREATE DOMAIN public.\"bıgınt\" AS bigint");
            assertThat(domain.location().line()).isEqualTo(32);
        }

        @Test
        void the_last_statement_precedes_the_dump_footer() {
            ScriptStatement last = pagila.statements().get(pagila.size() - 1);
            assertThat(last.sql()).isEqualTo("GRANT ALL ON SCHEMA public TO PUBLIC");
            assertThat(last.location().line()).isEqualTo(2892);
        }

        @Test
        void no_statement_of_the_dump_is_forbidden_in_a_transaction() {
            assertThat(pagila.statements()).noneMatch(ScriptStatement::forbiddenInTransaction);
        }

        private ScriptStatement statementStartingWith(String prefix) {
            return pagila.statements().stream().filter(s -> s.sql().startsWith(prefix)).findFirst().orElseThrow();
        }
    }
}
