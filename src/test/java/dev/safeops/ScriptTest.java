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
        void statementsAreSplitAtSemicolons() {
            assertThat(sqls("select 1; select 2;")).containsExactly("select 1", "select 2");
        }

        @Test
        void aSemicolonInsideAStringDoesNotSplit() {
            assertThat(sqls("select 'a;b'; select 2;")).containsExactly("select 'a;b'", "select 2");
        }

        @Test
        void aBackslashEscapedQuoteInAnEscapeStringDoesNotEndIt() {
            assertThat(sqls("select E'\\';'; select 2;")).containsExactly("select E'\\';'", "select 2");
        }

        @Test
        void aBackslashBeforeTheQuoteOfAPlainStringDoesNotEscapeIt() {
            assertThat(sqls("select 'C:\\'; select 2;")).containsExactly("select 'C:\\'", "select 2");
        }

        @Test
        void aSemicolonInsideAQuotedIdentifierDoesNotSplit() {
            assertThat(sqls("select \"semi;colon\" from t; select 2"))
                    .containsExactly("select \"semi;colon\" from t", "select 2");
        }

        @Test
        void aSemicolonInsideADollarQuoteDoesNotSplit() {
            assertThat(sqls("select $$a;b$$; select 2")).containsExactly("select $$a;b$$", "select 2");
        }

        @Test
        void aDifferentTagInsideATaggedDollarQuoteDoesNotEndIt() {
            assertThat(sqls("select $fn$ x $$ ; $$ y $fn$; select 2"))
                    .containsExactly("select $fn$ x $$ ; $$ y $fn$", "select 2");
        }

        @Test
        void positionalParametersAreNotDollarQuotes() {
            assertThat(sqls("select $1; select $2, 'x;y';")).containsExactly("select $1", "select $2, 'x;y'");
        }

        @Test
        void aDollarInsideAnIdentifierIsNotADollarQuote() {
            assertThat(sqls("select a$b from t; select 1 as x$$; select 2"))
                    .containsExactly("select a$b from t", "select 1 as x$$", "select 2");
        }

        @Test
        void aSemicolonInsideALineCommentDoesNotSplit() {
            assertThat(sqls("select 1 -- not here; nor here;\n+ 1; select 2"))
                    .containsExactly("select 1 -- not here; nor here;\n+ 1", "select 2");
        }

        @Test
        void aSemicolonInsideANestedBlockCommentDoesNotSplit() {
            assertThat(sqls("select 1 /* a /* ; */ still ; */ + 1; select 2"))
                    .containsExactly("select 1 /* a /* ; */ still ; */ + 1", "select 2");
        }

        @Test
        void aSemicolonInsideParenthesesDoesNotSplitAsInPsql() {
            assertThat(sqls("select (1;\n2); select 3")).containsExactly("select (1;\n2)", "select 3");
        }

        @Test
        void aDoBlockIsOneStatement() {
            String doBlock = "DO $$\nBEGIN\n  RAISE NOTICE 'x;y';\n  PERFORM 1;\nEND\n$$";
            assertThat(sqls(doBlock + ";\nselect 2;")).containsExactly(doBlock, "select 2");
        }

        @Test
        void aDoBlockWithATagAndLanguageIsOneStatement() {
            String doBlock = "DO LANGUAGE plpgsql $body$ BEGIN PERFORM 1; END $body$";
            assertThat(sqls(doBlock + "; select 2")).containsExactly(doBlock, "select 2");
        }

        @Test
        void aPlpgsqlFunctionBodyIsOneStatement() {
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
        void aSqlStandardFunctionBodyIsOneStatementAsInPsql() {
            String function = """
                    CREATE FUNCTION f() RETURNS int LANGUAGE sql
                    BEGIN ATOMIC
                      SELECT 1;
                      SELECT CASE WHEN true THEN 2 ELSE 3 END;
                    END""";
            assertThat(sqls(function + ";\nselect 4;")).containsExactly(function, "select 4");
        }

        @Test
        void aSqlStandardProcedureBodyWithOrReplaceIsOneStatement() {
            assertThat(sqls("create or replace procedure p() begin atomic select 1; end; select 2"))
                    .containsExactly("create or replace procedure p() begin atomic select 1; end", "select 2");
        }

        @Test
        void beginAndEndOutsideAFunctionDefinitionDoNotAffectSplitting() {
            assertThat(sqls("BEGIN; select 1; END;")).containsExactly("BEGIN", "select 1", "END");
        }

        @Test
        void aCaseExpressionInASqlFunctionWithoutBeginDoesNotAffectSplitting() {
            assertThat(sqls("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END; select 2"))
                    .containsExactly("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END",
                            "select 2");
        }

        @Test
        void aLastStatementWithoutASemicolonCounts() {
            assertThat(sqls("select 1;\nselect 2\n")).containsExactly("select 1", "select 2");
        }

        @Test
        void emptyStatementsAreDropped() {
            assertThat(sqls(";;select 1;;; ;\n;select 2;;")).containsExactly("select 1", "select 2");
        }

        @Test
        void statementIndexesCountOnlyRealStatements() {
            assertThat(Script.parse("test.sql", "select 1;;select 2;").statements())
                    .extracting(ScriptStatement::index).containsExactly(0, 1);
        }

        @Test
        void leadingCommentsAndWhitespaceAreNotPartOfTheStatement() {
            assertThat(sqls("-- header\n/* block */\n  select 1;")).containsExactly("select 1");
        }

        @Test
        void commentsInsideAStatementAreKeptVerbatim() {
            assertThat(sqls("select 1, -- first\n  /* second */ 2;"))
                    .containsExactly("select 1, -- first\n  /* second */ 2");
        }

        @Test
        void aCommentAfterTheLastTokenIsNotPartOfTheStatement() {
            assertThat(sqls("select 1 -- trailing\n; select 2 /* trailing */")).containsExactly("select 1", "select 2");
        }

        @Test
        void crlfLineEndingsAreKeptInsideStatements() {
            assertThat(sqls("select\r\n1;\r\nselect 2;\r\n")).containsExactly("select\r\n1", "select 2");
        }

        @Test
        void aByteOrderMarkAtTheStartIsIgnored() {
            assertThat(sqls("\uFEFFselect 1;")).containsExactly("select 1");
        }
    }

    @Nested
    class Locations {

        @Test
        void aStatementIsLocatedAtTheLineOfItsFirstToken() {
            assertThat(lines("\n\n  -- comment\n  select\n 1;")).containsExactly(4);
        }

        @Test
        void linesAfterAMultiLineStringAreRight() {
            assertThat(lines("select 'a\nb\nc';\nselect 2;")).containsExactly(1, 4);
        }

        @Test
        void linesAfterAMultiLineDollarQuoteAreRight() {
            assertThat(lines("DO $$\nBEGIN\nEND\n$$;\n\nselect 2;")).containsExactly(1, 6);
        }

        @Test
        void linesAfterAMultiLineCommentAreRight() {
            assertThat(lines("/*\n * header\n */\nselect 1; /* a\nb */ select 2;")).containsExactly(4, 5);
        }

        @Test
        void linesWithCrlfEndingsAreRight() {
            assertThat(lines("select 1;\r\n\r\nselect\r\n 2;\r\nselect 3;")).containsExactly(1, 3, 5);
        }

        @Test
        void aByteOrderMarkDoesNotShiftLines() {
            assertThat(lines("\uFEFFselect 1;\nselect 2;")).containsExactly(1, 2);
        }

        @Test
        void aLocationNamesTheScript() {
            ScriptStatement statement = Script.parse("V2__users.sql", "\nselect 1;").statements().get(0);
            assertThat(statement.location()).isEqualTo(new Location("V2__users.sql", 2));
            assertThat(statement.location()).hasToString("V2__users.sql:2");
        }
    }

    @Nested
    class Rejections {

        @Test
        void anUnterminatedStringIsRejectedWithFileAndStartingLine() {
            assertRejected("select 1;\nselect 'oops;\nselect 2;")
                    .hasMessage("test.sql:2: unterminated string literal starting at line 2");
        }

        @Test
        void anUnterminatedQuotedIdentifierIsRejectedWithFileAndStartingLine() {
            assertRejected("select 1;\n\nselect \"oops;")
                    .hasMessage("test.sql:3: unterminated quoted identifier starting at line 3");
        }

        @Test
        void anUnterminatedDollarQuoteIsRejectedWithFileTagAndStartingLine() {
            assertRejected("select 1;\nCREATE FUNCTION f() RETURNS void AS $body$\nBEGIN END;\n$$;")
                    .hasMessage("test.sql:2: unterminated dollar-quoted string $body$ starting at line 2");
        }

        @Test
        void theRestrictLinesOfRecentPgDumpOutputAreSkipped() {
            Script script = Script.parse("dump.sql", "\\restrict AbC123\nSET x = 1;\n\\unrestrict AbC123\n");
            assertThat(script.statements()).extracting(ScriptStatement::sql).containsExactly("SET x = 1");
        }

        @Test
        void aRestrictLineInsideAStatementIsStillRejected() {
            assertRejected("select\n\\restrict AbC123\n1;").hasMessageContaining("meta-command \\restrict");
        }

        @Test
        void anUnterminatedBlockCommentIsRejectedWithFileAndStartingLine() {
            assertRejected("select 1;\n/* a /* b */\nselect 2;")
                    .hasMessage("test.sql:2: unterminated block comment starting at line 2");
        }

        @Test
        void aPsqlConnectCommandIsRejected() {
            assertRejected("select 1;\n\\connect other_db\nselect 2;")
                    .hasMessage("test.sql:2: psql meta-command \\connect is not supported by safe-ops (line 2)");
        }

        @Test
        void aPsqlSetCommandIsRejected() {
            assertRejected("\\set x 1\nselect :x;")
                    .hasMessage("test.sql:1: psql meta-command \\set is not supported by safe-ops (line 1)");
        }

        @Test
        void aPsqlIncludeCommandIsRejected() {
            assertRejected("select 1;\n\n\\i other.sql")
                    .hasMessage("test.sql:3: psql meta-command \\i is not supported by safe-ops (line 3)");
        }

        @Test
        void aPsqlEndOfDataMarkerIsRejected() {
            assertRejected("select 1;\n\\.\n")
                    .hasMessage("test.sql:2: psql meta-command \\. is not supported by safe-ops (line 2)");
        }

        @Test
        void aPsqlCommandAfterSqlOnTheSameLineIsRejected() {
            assertRejected("select 1 \\gset\n")
                    .hasMessage("test.sql:1: psql meta-command \\gset is not supported by safe-ops (line 1)");
        }

        @Test
        void aBackslashInsideStringsDollarQuotesAndCommentsIsAccepted() {
            assertThat(sqls("select '\\connect', E'\\\\n', $$\\i x$$ /* \\set */ -- \\.\n;"))
                    .containsExactly("select '\\connect', E'\\\\n', $$\\i x$$");
        }

        @Test
        void copyFromStdinIsRejected() {
            assertRejected("select 1;\nCOPY t FROM STDIN;\n1\t2\n\\.\n")
                    .hasMessage("test.sql:2: COPY … FROM STDIN reads inline data, which safe-ops does not run; "
                            + "load data with a separate tool");
        }

        @Test
        void copyFromStdinIsRejectedInLowerCaseWithColumnsAndOptions() {
            assertRejected("copy public.t (a, b) from stdin with (format csv);")
                    .hasMessageStartingWith("test.sql:1: COPY … FROM STDIN reads inline data");
        }

        @Test
        void copyFromStdinIsRejectedBeforeItsInlineDataIsRead() {
            // the data line has an unbalanced quote; the COPY is the first problem
            assertRejected("COPY t FROM stdin;\nit's data\n\\.\n")
                    .hasMessageStartingWith("test.sql:1: COPY … FROM STDIN");
        }

        @Test
        void copyToStdoutIsAnOrdinaryStatement() {
            assertThat(sqls("COPY t TO STDOUT;")).containsExactly("COPY t TO STDOUT");
        }

        @Test
        void copyFromAFileIsAnOrdinaryStatement() {
            assertThat(sqls("COPY t FROM '/tmp/stdin.csv';")).containsExactly("COPY t FROM '/tmp/stdin.csv'");
        }

        @Test
        void copyOfAQueryReadingATableNamedStdinIsAnOrdinaryStatement() {
            assertThat(sqls("COPY (SELECT * FROM stdin) TO STDOUT;"))
                    .containsExactly("COPY (SELECT * FROM stdin) TO STDOUT");
        }

        @Test
        void turningStandardConformingStringsOffIsRejected() {
            assertRejected("select 1;\nSET standard_conforming_strings = off;")
                    .hasMessageStartingWith("test.sql:2: SET standard_conforming_strings = off is not supported");
        }

        @ParameterizedTest(name = "{0} is rejected")
        @ValueSource(strings = {"SET standard_conforming_strings TO 'off'", "set session standard_conforming_strings = false",
            "SET LOCAL standard_conforming_strings = 0", "SET standard_conforming_strings = no"})
        void everySpellingOfTurningStandardConformingStringsOffIsRejected(String sql) {
            assertRejected(sql).hasMessageContaining("standard_conforming_strings = off is not supported");
        }

        @Test
        void turningStandardConformingStringsOnIsAccepted() {
            assertThat(sqls("SET standard_conforming_strings = on;")).hasSize(1);
        }

        @Test
        void aParenthesisLeftOpenAtTheEndIsRejected() {
            assertRejected("select 1;\nselect (1;\nselect 2;")
                    .hasMessage("test.sql:2: parenthesis opened at line 2 is never closed, "
                            + "so the rest of the script would run as one statement");
        }

        @Test
        void aBeginAtomicWithoutEndIsRejected() {
            assertRejected("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\nSELECT 1;\nselect 2;")
                    .hasMessage("test.sql:2: BEGIN at line 2 has no matching END, "
                            + "so the rest of the script would run as one statement");
        }

        @Test
        void aNumberWithTrailingJunkIsRejected() {
            assertRejected("select 1;\nselect 1e5$$;$$;")
                    .hasMessage("test.sql:2: trailing junk after numeric literal \"1e5$$\" at line 2");
        }

        @Test
        void aNulCharacterIsRejectedAsBinary() {
            assertRejected("select 1;\nselect\0 2;").hasMessageStartingWith("test.sql:2: binary file");
        }

        @Test
        void anEmptyScriptIsRejected() {
            assertRejected("").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void aScriptOfWhitespaceAndCommentsIsRejected() {
            assertRejected("\n  -- nothing\n/* here */\n").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void aScriptOfOnlyEmptyStatementsIsRejected() {
            assertRejected(" ; ;;\n").hasMessage("test.sql:1: no SQL statements in test.sql");
        }

        @Test
        void theExceptionCarriesTheLocation() {
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
        void aUtf8FileIsReadAndNamedByItsPath() throws IOException {
            Path file = Files.writeString(dir.resolve("V1.sql"), "CREATE DOMAIN \"bıgınt\" AS bigint;\nselect 'é';");
            Script script = Script.read(file);
            assertThat(script.name()).isEqualTo(file.toString());
            assertThat(script.statements()).extracting(ScriptStatement::sql, s -> s.location().line())
                    .containsExactly(tuple("CREATE DOMAIN \"bıgınt\" AS bigint", 1), tuple("select 'é'", 2));
        }

        @Test
        void aUtf8ByteOrderMarkIsStripped() throws IOException {
            Path file = dir.resolve("bom.sql");
            Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "select 1;".getBytes(StandardCharsets.UTF_8)));
            assertThat(Script.read(file).statements().get(0).sql()).isEqualTo("select 1");
        }

        @Test
        void invalidUtf8IsRejectedWithItsLine() throws IOException {
            Path file = dir.resolve("latin1.sql");
            Files.write(file, "select 1;\nselect 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":2: not valid UTF-8");
        }

        @Test
        void aFileWithANulByteIsRejectedAsBinary() throws IOException {
            Path file = dir.resolve("dump.sql");
            Files.write(file, "select 1;\nselect 2;\0\0".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":2: binary file");
        }

        @Test
        void aBinaryFileThatIsAlsoInvalidUtf8IsRejectedAsBinary() throws IOException {
            Path file = dir.resolve("dump.sql.gz");
            Files.write(file, new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00});
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(file + ":1: binary file");
        }

        @Test
        void aMissingFileIsRejectedNamingTheFileAndTheReason() {
            Path file = dir.resolve("missing.sql");
            assertThatThrownBy(() -> Script.read(file))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage(file + ":1: cannot read " + file + ": no such file");
        }

        @Test
        void aDirectoryIsRejectedNamingTheFileAndTheReason() {
            assertThatThrownBy(() -> Script.read(dir))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith(dir + ":1: cannot read " + dir + ": ")
                    .hasMessageContaining("directory")
                    .hasCauseInstanceOf(IOException.class);
        }

        @Test
        void anEmptyFileIsRejected() throws IOException {
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
        void isTrueFor(String sql) {
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
        void isFalseFor(String sql) {
            assertThat(forbidden(sql)).isFalse();
        }

        @Test
        void aCommentContainingConcurrentlyDoesNotCount() {
            assertThat(forbidden("CREATE INDEX /* CONCURRENTLY */ t_c ON t(c)")).isFalse();
            assertThat(forbidden("CREATE INDEX -- CONCURRENTLY\n t_c ON t(c)")).isFalse();
        }

        @Test
        void keywordsAreComparedCaseInsensitively() {
            assertThat(forbidden("Create Index Concurrently t_c On t(c)")).isTrue();
        }

        @Test
        void aCommentBeforeTheKeywordDoesNotHideIt() {
            assertThat(forbidden("CREATE INDEX /* online */ CONCURRENTLY t_c ON t(c)")).isTrue();
        }

        @Test
        void statementsReadFromAScriptAnswerToo() {
            Script script = Script.parse("test.sql", "CREATE TABLE t(c int);\nCREATE INDEX CONCURRENTLY t_c ON t(c);");
            assertThat(script.statements()).extracting(ScriptStatement::forbiddenInTransaction)
                    .containsExactly(false, true);
        }

        @Test
        void transactionControlStatementsAreRecognised() {
            Script script = Script.parse("test.sql",
                    "BEGIN; START /* now */ TRANSACTION; COMMIT; ROLLBACK; SAVEPOINT a; CREATE TABLE begin_(c int)");
            assertThat(script.statements()).extracting(ScriptStatement::transactionControl)
                    .containsExactly(true, true, true, true, true, false);
        }
    }

    @Nested
    class Values {

        @Test
        void statementsAreUnmodifiable() {
            Script script = Script.parse("test.sql", "select 1;");
            assertThatThrownBy(() -> script.statements().add(script.statements().get(0)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void aScriptCanBeMadeOfStatementsOfAnotherKeepingTheirLocations() {
            Script whole = Script.parse("test.sql", "select 1;\nselect 2;\nselect 3;");
            Script part = Script.of("part", whole.statements().subList(1, 3));
            assertThat(part.statements()).extracting(s -> s.location().toString())
                    .containsExactly("test.sql:2", "test.sql:3");
        }

        @Test
        void sizeIsTheNumberOfStatements() {
            assertThat(Script.parse("test.sql", "select 1; select 2").size()).isEqualTo(2);
        }

        @Test
        void nameIsTheNameGiven() {
            assertThat(Script.parse("migrations/V1.sql", "select 1").name()).isEqualTo("migrations/V1.sql");
        }

        @Test
        void aLocationNeedsAPositiveLine() {
            assertThatThrownBy(() -> new Location("f.sql", 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aStatementNeedsSql() {
            assertThatThrownBy(() -> new ScriptStatement(0, " ", new Location("f.sql", 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void anInvalidScriptExceptionIsAnIllegalArgumentException() {
            assertThat(new InvalidScriptException(new Location("f.sql", 3), "bad"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("f.sql:3: bad");
        }
    }

    @Nested
    class PagilaSchema {

        private final Script pagila = Script.read(Pagila.schema());

        @Test
        void hasAsManyStatementsAsPsqlSends() {
            // counted by running the file through psql 15 against a server with log_statement = all
            assertThat(pagila.size()).isEqualTo(377);
        }

        @Test
        void theFirstStatementFollowsTheDumpHeader() {
            ScriptStatement first = pagila.statements().get(0);
            assertThat(first.sql()).isEqualTo("SET statement_timeout = 0");
            assertThat(first.location().line()).isEqualTo(8);
        }

        @Test
        void aFunctionWhoseBodyContainsSemicolonsIsOneStatementAtItsLine() {
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
        void aFunctionQuotedWithATagIsOneStatementAtItsLine() {
            ScriptStatement function = statementStartingWith("CREATE FUNCTION public.rewards_report(");
            assertThat(function.location().line()).isEqualTo(292);
            assertThat(function.sql()).endsWith("$_$");
        }

        @Test
        void aQuotedNonAsciiIdentifierIsKept() {
            ScriptStatement domain = statementStartingWith("CREATE DOMAIN");
            assertThat(domain.sql()).isEqualTo("CREATE DOMAIN public.\"bıgınt\" AS bigint");
            assertThat(domain.location().line()).isEqualTo(32);
        }

        @Test
        void theLastStatementPrecedesTheDumpFooter() {
            ScriptStatement last = pagila.statements().get(pagila.size() - 1);
            assertThat(last.sql()).isEqualTo("GRANT ALL ON SCHEMA public TO PUBLIC");
            assertThat(last.location().line()).isEqualTo(2892);
        }

        @Test
        void noStatementOfTheDumpIsForbiddenInATransaction() {
            assertThat(pagila.statements()).noneMatch(ScriptStatement::forbiddenInTransaction);
        }

        private ScriptStatement statementStartingWith(String prefix) {
            return pagila.statements().stream().filter(s -> s.sql().startsWith(prefix)).findFirst().orElseThrow();
        }
    }
}
