package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.safeops.SqlLexer.Kind;
import dev.safeops.SqlLexer.Token;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqlLexerTest {

    private static List<Token> tokens(String sql) {
        return SqlLexer.tokens(sql);
    }

    private static Token only(String sql) {
        List<Token> tokens = tokens(sql);
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    private static List<String> texts(String sql) {
        return tokens(sql).stream().map(Token::text).toList();
    }

    private static List<Kind> kinds(String sql) {
        return tokens(sql).stream().map(Token::kind).toList();
    }

    @Nested
    class Words {

        @Test
        void a_word_keeps_its_text_as_written_and_its_value_is_folded_to_lower_case() {
            Token token = only("CreateTable");
            assertThat(token.kind()).isEqualTo(Kind.WORD);
            assertThat(token.text()).isEqualTo("CreateTable");
            assertThat(token.value()).isEqualTo("createtable");
        }

        @Test
        void only_ascii_letters_are_folded_as_postgresql_does() {
            assertThat(only("ÄBÇ").value()).isEqualTo("ÄbÇ");
        }

        @Test
        void isWord_compares_case_insensitively() {
            assertThat(only("vacuum").isWord("VACUUM")).isTrue();
            assertThat(only("VaCuUm").isWord("vacuum")).isTrue();
        }

        @Test
        void isWord_does_not_fold_non_ascii_look_alikes() {
            // Java's equalsIgnoreCase would match the dotless i, PostgreSQL does not
            assertThat(only("concurrently").isWord("CONCURRENTLY")).isTrue();
            assertThat(only("concurrentlı").isWord("CONCURRENTLY")).isFalse();
        }

        @Test
        void isWord_is_false_for_a_quoted_identifier_with_the_same_letters() {
            assertThat(only("\"vacuum\"").isWord("VACUUM")).isFalse();
        }

        @Test
        void a_dollar_sign_inside_an_identifier_is_part_of_the_word() {
            assertThat(only("a$b").text()).isEqualTo("a$b");
            assertThat(only("a$b").kind()).isEqualTo(Kind.WORD);
        }

        @Test
        void a_dollar_quote_glued_to_a_word_belongs_to_the_word_as_in_postgresql() {
            assertThat(texts("x AS$$ y")).containsExactly("x", "AS$$", "y");
        }

        @Test
        void non_ascii_letters_are_identifier_characters() {
            assertThat(only("bıgınt_€").kind()).isEqualTo(Kind.WORD);
        }

        @Test
        void underscores_and_digits_continue_a_word() {
            assertThat(texts("_a1 b_2")).containsExactly("_a1", "b_2");
        }
    }

    @Nested
    class QuotedIdentifiers {

        @Test
        void a_quoted_identifier_keeps_its_case_and_drops_the_quotes() {
            Token token = only("\"MyTable\"");
            assertThat(token.kind()).isEqualTo(Kind.QUOTED_IDENTIFIER);
            assertThat(token.text()).isEqualTo("\"MyTable\"");
            assertThat(token.value()).isEqualTo("MyTable");
        }

        @Test
        void a_doubled_double_quote_stands_for_one() {
            assertThat(only("\"say \"\"hi\"\"\"").value()).isEqualTo("say \"hi\"");
        }

        @Test
        void a_semicolon_inside_a_quoted_identifier_is_part_of_it() {
            assertThat(only("\"semi;colon\"").value()).isEqualTo("semi;colon");
        }

        @Test
        void a_unicode_quoted_identifier_has_its_escapes_decoded() {
            Token token = only("U&\"d\\0061t\\+000061\"");
            assertThat(token.kind()).isEqualTo(Kind.QUOTED_IDENTIFIER);
            assertThat(token.value()).isEqualTo("data");
        }

        @Test
        void an_unterminated_quoted_identifier_is_rejected_with_its_starting_line() {
            assertThatThrownBy(() -> tokens("select 1;\nselect \"oops\n;\n"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: unterminated quoted identifier starting at line 2");
        }
    }

    @Nested
    class Strings {

        @Test
        void a_string_literal_value_has_doubled_quotes_unescaped() {
            Token token = only("'it''s'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.text()).isEqualTo("'it''s'");
            assertThat(token.value()).isEqualTo("it's");
        }

        @Test
        void a_semicolon_inside_a_string_is_part_of_the_string() {
            assertThat(kinds("select 'a;b'")).containsExactly(Kind.WORD, Kind.STRING);
        }

        @Test
        void a_backslash_in_a_plain_string_is_an_ordinary_character() {
            // standard_conforming_strings = on: the string ends at the quote after the backslash
            assertThat(texts("'back\\' x")).containsExactly("'back\\'", "x");
            assertThat(tokens("'back\\'").get(0).value()).isEqualTo("back\\");
        }

        @Test
        void comment_markers_inside_a_string_are_string_content() {
            assertThat(only("'-- not /* a comment'").value()).isEqualTo("-- not /* a comment");
        }

        @Test
        void an_escape_string_lets_a_backslash_escape_the_quote() {
            Token token = only("E'\\';'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.value()).isEqualTo("';");
        }

        @Test
        void a_lower_case_e_also_starts_an_escape_string() {
            assertThat(only("e'\\''").value()).isEqualTo("'");
        }

        @Test
        void an_escape_string_also_accepts_doubled_quotes() {
            assertThat(only("E'a''b'").value()).isEqualTo("a'b");
        }

        @Test
        void an_escaped_backslash_before_the_closing_quote_does_not_escape_it() {
            assertThat(texts("E'\\\\' x")).containsExactly("E'\\\\'", "x");
            assertThat(tokens("E'\\\\'").get(0).value()).isEqualTo("\\");
        }

        @Test
        void an_escape_string_value_has_its_escapes_decoded() {
            assertThat(only("E'a\\nb\\tc\\x41\\101\\u00e9\\U0001F600\\q'").value())
                    .isEqualTo("a\nb\tcAAé\uD83D\uDE00q");
        }

        @Test
        void octal_escapes_are_utf8_bytes() {
            assertThat(only("E'\\303\\251'").value()).isEqualTo("é");
        }

        @Test
        void a_word_ending_in_e_before_a_quote_is_a_word_and_a_plain_string() {
            assertThat(kinds("some'x\\'")).containsExactly(Kind.WORD, Kind.STRING);
        }

        @Test
        void a_unicode_string_has_its_escapes_decoded() {
            Token token = only("U&'d\\0061t\\+000061 \\\\ ;'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.value()).isEqualTo("data \\ ;");
        }

        @Test
        void a_national_string_is_a_plain_string() {
            assertThat(only("N'a''b'").value()).isEqualTo("a'b");
        }

        @Test
        void bit_and_hex_strings_are_strings_whose_value_is_the_digits() {
            assertThat(tokens("B'1010' X'1F'")).extracting(Token::kind, Token::value)
                    .containsExactly(tuple(Kind.STRING, "1010"), tuple(Kind.STRING, "1F"));
        }

        @Test
        void an_unterminated_string_is_rejected_with_its_starting_line() {
            assertThatThrownBy(() -> tokens("select 1;\n\nselect 'oops;\nselect 2;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:3: unterminated string literal starting at line 3")
                    .extracting(e -> ((InvalidScriptException) e).location())
                    .isEqualTo(new Location("<sql>", 3));
        }

        @Test
        void an_escape_string_ending_in_an_escaped_quote_is_unterminated() {
            assertThatThrownBy(() -> tokens("select E'oops\\';"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated escape string literal E'...' starting at line 1");
        }

        @Test
        void an_unterminated_unicode_string_is_rejected() {
            assertThatThrownBy(() -> tokens("U&'x"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated Unicode string literal starting at line 1");
        }

        @Test
        void an_unterminated_bit_string_is_rejected() {
            assertThatThrownBy(() -> tokens("B'01"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated bit-string literal starting at line 1");
        }
    }

    @Nested
    class DollarQuotes {

        @Test
        void a_dollar_quoted_string_is_one_token_whose_value_is_the_body() {
            Token token = only("$$a;b$$");
            assertThat(token.kind()).isEqualTo(Kind.DOLLAR_STRING);
            assertThat(token.text()).isEqualTo("$$a;b$$");
            assertThat(token.value()).isEqualTo("a;b");
        }

        @Test
        void a_tagged_dollar_quote_ignores_other_tags_inside() {
            Token token = only("$fn$ x $$ ; $$ y $fn$");
            assertThat(token.value()).isEqualTo(" x $$ ; $$ y ");
        }

        @Test
        void a_dollar_quote_ends_at_its_tag_even_when_glued_to_a_word() {
            assertThat(texts("$fn$ abc x$fn$ y")).containsExactly("$fn$ abc x$fn$", "y");
        }

        @Test
        void a_longer_tag_inside_does_not_end_the_quote() {
            assertThat(only("$a$ $ab$ ; $a$").value()).isEqualTo(" $ab$ ; ");
        }

        @Test
        void a_tag_stops_at_the_first_dollar_sign() {
            Token token = tokens("$a$b$a$").get(0);
            assertThat(token.text()).isEqualTo("$a$b$a$");
            assertThat(token.value()).isEqualTo("b");
        }

        @Test
        void adjacent_dollar_quoted_strings_are_separate_tokens() {
            assertThat(texts("$$a$$$$b$$")).containsExactly("$$a$$", "$$b$$");
        }

        @Test
        void quotes_and_comments_inside_a_dollar_quote_are_body_text() {
            assertThat(only("$$ it's -- /* \" $$").value()).isEqualTo(" it's -- /* \" ");
        }

        @Test
        void a_dollar_followed_by_digits_is_a_parameter() {
            assertThat(tokens("$1 $23")).extracting(Token::kind, Token::text)
                    .containsExactly(tuple(Kind.PARAMETER, "$1"), tuple(Kind.PARAMETER, "$23"));
        }

        @Test
        void a_tag_cannot_start_with_a_digit() {
            assertThat(kinds("$1$ x")).containsExactly(Kind.PARAMETER, Kind.OTHER, Kind.WORD);
        }

        @Test
        void a_dollar_without_a_closing_tag_is_a_lone_dollar() {
            assertThat(tokens("$a ;")).extracting(Token::kind, Token::text)
                    .containsExactly(tuple(Kind.OTHER, "$"), tuple(Kind.WORD, "a"), tuple(Kind.PUNCTUATION, ";"));
        }

        @Test
        void an_unterminated_dollar_quote_names_its_tag_and_starting_line() {
            String sql = "select 1;\n".repeat(11) + "create function f() returns int as $body$\nbegin; end;\n$bod$;";
            assertThatThrownBy(() -> tokens(sql))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:12: unterminated dollar-quoted string $body$ starting at line 12");
        }
    }

    @Nested
    class NumbersAndSymbols {

        @Test
        void numbers_in_every_notation_are_single_tokens() {
            assertThat(tokens("1 1.5 .5 1. 1e-3 2E+10 1.5e3 1_000 1_000.000_1 0x1F 0X_ff 0o17 0b101"))
                    .allSatisfy(token -> assertThat(token.kind()).isEqualTo(Kind.NUMBER))
                    .extracting(Token::text)
                    .containsExactly("1", "1.5", ".5", "1.", "1e-3", "2E+10", "1.5e3", "1_000", "1_000.000_1", "0x1F",
                            "0X_ff", "0o17", "0b101");
        }

        @Test
        void a_range_is_a_number_two_dots_and_a_number() {
            assertThat(texts("1..10")).containsExactly("1", "..", "10");
        }

        @Test
        void a_number_followed_by_an_operator_or_punctuation_ends_there() {
            assertThat(texts("1+2,3.5)")).containsExactly("1", "+", "2", ",", "3.5", ")");
        }

        @ParameterizedTest(name = "{0} is rejected")
        @ValueSource(strings = {"123abc", "1e5$$", "1e", "1e+", "1.5e", "1__0", "1_", "0x", "0x_", "0x1Fg", "0b102", "1.x"})
        void a_number_with_trailing_junk_is_rejected_as_postgresql_does(String junk) {
            assertThatThrownBy(() -> tokens("select " + junk + " ;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith("<sql>:1: trailing junk after numeric literal \"");
        }

        @Test
        void trailing_junk_is_reported_with_the_whole_junk_token() {
            // PostgreSQL 14 read E'\';' here and PostgreSQL 15+ 1e then '\', so neither is guessed
            assertThatThrownBy(() -> tokens("select 1;\nselect 1e'\\';' as x;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: trailing junk after numeric literal \"1e\" at line 2");
        }

        @Test
        void a_parameter_with_trailing_junk_is_rejected() {
            assertThatThrownBy(() -> tokens("select $1abc"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: trailing junk after parameter \"$1abc\" at line 1");
        }

        @Test
        void operators_are_runs_of_operator_characters() {
            assertThat(tokens("a <> b ->> c || d")).filteredOn(token -> token.kind() == Kind.OPERATOR)
                    .extracting(Token::text).containsExactly("<>", "->>", "||");
        }

        @Test
        void a_trailing_minus_is_split_off_an_operator_like_postgresql_does() {
            assertThat(texts("a=-1")).containsExactly("a", "=", "-", "1");
        }

        @Test
        void a_trailing_minus_stays_when_the_operator_has_a_character_that_keeps_it() {
            assertThat(texts("a@-1")).containsExactly("a", "@-", "1");
        }

        @Test
        void a_comment_start_ends_an_operator() {
            assertThat(texts("2 *-- c\n3 */* c */ 4")).containsExactly("2", "*", "3", "*", "4");
        }

        @Test
        void punctuation_is_single_characters_and_postgresqls_two_character_tokens() {
            assertThat(tokens("a::int[1] (x, y); b := 1 . c"))
                    .filteredOn(token -> token.kind() == Kind.PUNCTUATION)
                    .extracting(Token::text)
                    .containsExactly("::", "[", "]", "(", ",", ")", ";", ":=", ".");
        }

        @Test
        void isSymbol_matches_punctuation_and_operators_exactly() {
            List<Token> tokens = tokens("; =");
            assertThat(tokens.get(0).isSymbol(";")).isTrue();
            assertThat(tokens.get(1).isSymbol("=")).isTrue();
            assertThat(tokens.get(1).isSymbol(";")).isFalse();
        }

        @Test
        void a_character_postgresql_does_not_accept_is_an_other_token() {
            assertThat(tokens("{")).extracting(Token::kind).containsExactly(Kind.OTHER);
        }
    }

    @Nested
    class Comments {

        @Test
        void a_line_comment_is_skipped() {
            assertThat(texts("a -- ; b\nc")).containsExactly("a", "c");
        }

        @Test
        void a_block_comment_is_skipped() {
            assertThat(texts("a /* ; */ b")).containsExactly("a", "b");
        }

        @Test
        void block_comments_nest() {
            assertThat(texts("a /* x /* ; */ still comment ; */ b")).containsExactly("a", "b");
        }

        @Test
        void a_line_comment_marker_inside_a_block_comment_does_not_hide_its_end() {
            assertThat(texts("a /* -- */ b")).containsExactly("a", "b");
        }

        @Test
        void an_unterminated_block_comment_is_rejected_with_its_starting_line() {
            assertThatThrownBy(() -> tokens("a\n/* x /* y */\n b"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: unterminated block comment starting at line 2");
        }

        @Test
        void whitespace_includes_tabs_form_feeds_and_vertical_tabs() {
            assertThat(texts("a\tb\fc\u000Bd")).containsExactly("a", "b", "c", "d");
        }
    }

    @Nested
    class MetaCommands {

        @Test
        void a_backslash_outside_quotes_starts_a_meta_command_to_the_end_of_the_line() {
            List<Token> tokens = tokens("\\connect other_db\nselect 1");
            assertThat(tokens.get(0).kind()).isEqualTo(Kind.META_COMMAND);
            assertThat(tokens.get(0).text()).isEqualTo("\\connect other_db");
            assertThat(tokens.get(0).value()).isEqualTo("\\connect");
            assertThat(tokens.get(1).text()).isEqualTo("select");
            assertThat(tokens.get(1).line()).isEqualTo(2);
        }

        @Test
        void a_meta_command_after_sql_on_the_same_line_is_found() {
            assertThat(tokens("select 1 \\gset")).extracting(Token::kind)
                    .containsExactly(Kind.WORD, Kind.NUMBER, Kind.META_COMMAND);
        }

        @Test
        void a_backslash_inside_a_string_dollar_quote_or_comment_is_not_a_meta_command() {
            assertThat(kinds("'\\x' $$\\y$$ /* \\z */ -- \\w")).containsExactly(Kind.STRING, Kind.DOLLAR_STRING);
        }
    }

    @Nested
    class Positions {

        @Test
        void each_token_text_is_its_slice_of_the_source() {
            String sql = "select \"a\", 'b''c', $$d$$ from t -- x\n where e = $1;";
            assertThat(tokens(sql)).allSatisfy(token ->
                    assertThat(sql.substring(token.start(), token.end())).isEqualTo(token.text()));
        }

        @Test
        void a_token_after_a_multi_line_string_is_on_the_right_line() {
            List<Token> tokens = tokens("select 'a\nb\nc' ,\nx");
            assertThat(tokens).extracting(Token::text, Token::line)
                    .containsExactly(tuple("select", 1), tuple("'a\nb\nc'", 1), tuple(",", 3), tuple("x", 4));
        }

        @Test
        void a_token_after_a_multi_line_comment_is_on_the_right_line() {
            assertThat(tokens("/* a\nb\n*/ x").get(0).line()).isEqualTo(3);
        }

        @Test
        void crlf_counts_as_one_line_break() {
            assertThat(tokens("a\r\nb\r\n\r\nc")).extracting(Token::line).containsExactly(1, 2, 4);
        }

        @Test
        void a_lone_carriage_return_counts_as_a_line_break() {
            assertThat(tokens("a\rb")).extracting(Token::line).containsExactly(1, 2);
        }

        @Test
        void lineAt_counts_lines_like_token_lines() {
            String text = "a\r\nb\rc\nd";
            assertThat(SqlLexer.lineAt(text, 0)).isEqualTo(1);
            assertThat(SqlLexer.lineAt(text, text.indexOf('b'))).isEqualTo(2);
            assertThat(SqlLexer.lineAt(text, text.indexOf('c'))).isEqualTo(3);
            assertThat(SqlLexer.lineAt(text, text.indexOf('d'))).isEqualTo(4);
        }

        @Test
        void an_error_location_names_the_source_given_to_the_lexer() {
            SqlLexer lexer = new SqlLexer("V1__init.sql", "select 1;\n'x");
            assertThatThrownBy(() -> {
                while (lexer.next() != null) {
                    // drain
                }
            }).isInstanceOf(InvalidScriptException.class).hasMessageStartingWith("V1__init.sql:2: ");
        }
    }

    @Test
    void tokens_returns_an_unmodifiable_list() {
        assertThatThrownBy(() -> tokens("a").add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void empty_text_has_no_tokens() {
        assertThat(tokens("  -- only a comment\n/* and another */ ")).isEmpty();
    }

    @Test
    void next_returns_null_at_the_end_and_keeps_doing_so() {
        SqlLexer lexer = new SqlLexer("s", "a");
        assertThat(lexer.next()).isNotNull();
        assertThat(lexer.next()).isNull();
        assertThat(lexer.next()).isNull();
    }
}
