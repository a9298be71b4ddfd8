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
        void aWordKeepsItsTextAsWrittenAndItsValueIsFoldedToLowerCase() {
            Token token = only("CreateTable");
            assertThat(token.kind()).isEqualTo(Kind.WORD);
            assertThat(token.text()).isEqualTo("CreateTable");
            assertThat(token.value()).isEqualTo("createtable");
        }

        @Test
        void onlyAsciiLettersAreFoldedAsPostgresqlDoes() {
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
        void aDollarSignInsideAnIdentifierIsPartOfTheWord() {
            assertThat(only("a$b").text()).isEqualTo("a$b");
            assertThat(only("a$b").kind()).isEqualTo(Kind.WORD);
        }

        @Test
        void aDollarQuoteGluedToAWordBelongsToTheWordAsInPostgresql() {
            assertThat(texts("x AS$$ y")).containsExactly("x", "AS$$", "y");
        }

        @Test
        void nonAsciiLettersAreIdentifierCharacters() {
            assertThat(only("bıgınt_€").kind()).isEqualTo(Kind.WORD);
        }

        @Test
        void underscoresAndDigitsContinueAWord() {
            assertThat(texts("_a1 b_2")).containsExactly("_a1", "b_2");
        }
    }

    @Nested
    class QuotedIdentifiers {

        @Test
        void aQuotedIdentifierKeepsItsCaseAndDropsTheQuotes() {
            Token token = only("\"MyTable\"");
            assertThat(token.kind()).isEqualTo(Kind.QUOTED_IDENTIFIER);
            assertThat(token.text()).isEqualTo("\"MyTable\"");
            assertThat(token.value()).isEqualTo("MyTable");
        }

        @Test
        void aDoubledDoubleQuoteStandsForOne() {
            assertThat(only("\"say \"\"hi\"\"\"").value()).isEqualTo("say \"hi\"");
        }

        @Test
        void aSemicolonInsideAQuotedIdentifierIsPartOfIt() {
            assertThat(only("\"semi;colon\"").value()).isEqualTo("semi;colon");
        }

        @Test
        void aUnicodeQuotedIdentifierHasItsEscapesDecoded() {
            Token token = only("U&\"d\\0061t\\+000061\"");
            assertThat(token.kind()).isEqualTo(Kind.QUOTED_IDENTIFIER);
            assertThat(token.value()).isEqualTo("data");
        }

        @Test
        void anUnterminatedQuotedIdentifierIsRejectedWithItsStartingLine() {
            assertThatThrownBy(() -> tokens("select 1;\nselect \"oops\n;\n"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: unterminated quoted identifier starting at line 2");
        }
    }

    @Nested
    class Strings {

        @Test
        void aStringLiteralValueHasDoubledQuotesUnescaped() {
            Token token = only("'it''s'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.text()).isEqualTo("'it''s'");
            assertThat(token.value()).isEqualTo("it's");
        }

        @Test
        void aSemicolonInsideAStringIsPartOfTheString() {
            assertThat(kinds("select 'a;b'")).containsExactly(Kind.WORD, Kind.STRING);
        }

        @Test
        void aBackslashInAPlainStringIsAnOrdinaryCharacter() {
            // standard_conforming_strings = on: the string ends at the quote after the backslash
            assertThat(texts("'back\\' x")).containsExactly("'back\\'", "x");
            assertThat(tokens("'back\\'").get(0).value()).isEqualTo("back\\");
        }

        @Test
        void commentMarkersInsideAStringAreStringContent() {
            assertThat(only("'-- not /* a comment'").value()).isEqualTo("-- not /* a comment");
        }

        @Test
        void anEscapeStringLetsABackslashEscapeTheQuote() {
            Token token = only("E'\\';'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.value()).isEqualTo("';");
        }

        @Test
        void aLowerCaseEAlsoStartsAnEscapeString() {
            assertThat(only("e'\\''").value()).isEqualTo("'");
        }

        @Test
        void anEscapeStringAlsoAcceptsDoubledQuotes() {
            assertThat(only("E'a''b'").value()).isEqualTo("a'b");
        }

        @Test
        void anEscapedBackslashBeforeTheClosingQuoteDoesNotEscapeIt() {
            assertThat(texts("E'\\\\' x")).containsExactly("E'\\\\'", "x");
            assertThat(tokens("E'\\\\'").get(0).value()).isEqualTo("\\");
        }

        @Test
        void anEscapeStringValueHasItsEscapesDecoded() {
            assertThat(only("E'a\\nb\\tc\\x41\\101\\u00e9\\U0001F600\\q'").value())
                    .isEqualTo("a\nb\tcAAé\uD83D\uDE00q");
        }

        @Test
        void octalEscapesAreUtf8Bytes() {
            assertThat(only("E'\\303\\251'").value()).isEqualTo("é");
        }

        @Test
        void aWordEndingInEBeforeAQuoteIsAWordAndAPlainString() {
            assertThat(kinds("some'x\\'")).containsExactly(Kind.WORD, Kind.STRING);
        }

        @Test
        void aUnicodeStringHasItsEscapesDecoded() {
            Token token = only("U&'d\\0061t\\+000061 \\\\ ;'");
            assertThat(token.kind()).isEqualTo(Kind.STRING);
            assertThat(token.value()).isEqualTo("data \\ ;");
        }

        @Test
        void aNationalStringIsAPlainString() {
            assertThat(only("N'a''b'").value()).isEqualTo("a'b");
        }

        @Test
        void bitAndHexStringsAreStringsWhoseValueIsTheDigits() {
            assertThat(tokens("B'1010' X'1F'")).extracting(Token::kind, Token::value)
                    .containsExactly(tuple(Kind.STRING, "1010"), tuple(Kind.STRING, "1F"));
        }

        @Test
        void anUnterminatedStringIsRejectedWithItsStartingLine() {
            assertThatThrownBy(() -> tokens("select 1;\n\nselect 'oops;\nselect 2;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:3: unterminated string literal starting at line 3")
                    .extracting(e -> ((InvalidScriptException) e).location())
                    .isEqualTo(new Location("<sql>", 3));
        }

        @Test
        void anEscapeStringEndingInAnEscapedQuoteIsUnterminated() {
            assertThatThrownBy(() -> tokens("select E'oops\\';"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated escape string literal E'...' starting at line 1");
        }

        @Test
        void anUnterminatedUnicodeStringIsRejected() {
            assertThatThrownBy(() -> tokens("U&'x"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated Unicode string literal starting at line 1");
        }

        @Test
        void anUnterminatedBitStringIsRejected() {
            assertThatThrownBy(() -> tokens("B'01"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: unterminated bit-string literal starting at line 1");
        }
    }

    @Nested
    class DollarQuotes {

        @Test
        void aDollarQuotedStringIsOneTokenWhoseValueIsTheBody() {
            Token token = only("$$a;b$$");
            assertThat(token.kind()).isEqualTo(Kind.DOLLAR_STRING);
            assertThat(token.text()).isEqualTo("$$a;b$$");
            assertThat(token.value()).isEqualTo("a;b");
        }

        @Test
        void aTaggedDollarQuoteIgnoresOtherTagsInside() {
            Token token = only("$fn$ x $$ ; $$ y $fn$");
            assertThat(token.value()).isEqualTo(" x $$ ; $$ y ");
        }

        @Test
        void aDollarQuoteEndsAtItsTagEvenWhenGluedToAWord() {
            assertThat(texts("$fn$ abc x$fn$ y")).containsExactly("$fn$ abc x$fn$", "y");
        }

        @Test
        void aLongerTagInsideDoesNotEndTheQuote() {
            assertThat(only("$a$ $ab$ ; $a$").value()).isEqualTo(" $ab$ ; ");
        }

        @Test
        void aTagStopsAtTheFirstDollarSign() {
            Token token = tokens("$a$b$a$").get(0);
            assertThat(token.text()).isEqualTo("$a$b$a$");
            assertThat(token.value()).isEqualTo("b");
        }

        @Test
        void adjacentDollarQuotedStringsAreSeparateTokens() {
            assertThat(texts("$$a$$$$b$$")).containsExactly("$$a$$", "$$b$$");
        }

        @Test
        void quotesAndCommentsInsideADollarQuoteAreBodyText() {
            assertThat(only("$$ it's -- /* \" $$").value()).isEqualTo(" it's -- /* \" ");
        }

        @Test
        void aDollarFollowedByDigitsIsAParameter() {
            assertThat(tokens("$1 $23")).extracting(Token::kind, Token::text)
                    .containsExactly(tuple(Kind.PARAMETER, "$1"), tuple(Kind.PARAMETER, "$23"));
        }

        @Test
        void aTagCannotStartWithADigit() {
            assertThat(kinds("$1$ x")).containsExactly(Kind.PARAMETER, Kind.OTHER, Kind.WORD);
        }

        @Test
        void aDollarWithoutAClosingTagIsALoneDollar() {
            assertThat(tokens("$a ;")).extracting(Token::kind, Token::text)
                    .containsExactly(tuple(Kind.OTHER, "$"), tuple(Kind.WORD, "a"), tuple(Kind.PUNCTUATION, ";"));
        }

        @Test
        void anUnterminatedDollarQuoteNamesItsTagAndStartingLine() {
            String sql = "select 1;\n".repeat(11) + "create function f() returns int as $body$\nbegin; end;\n$bod$;";
            assertThatThrownBy(() -> tokens(sql))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:12: unterminated dollar-quoted string $body$ starting at line 12");
        }
    }

    @Nested
    class NumbersAndSymbols {

        @Test
        void numbersInEveryNotationAreSingleTokens() {
            assertThat(tokens("1 1.5 .5 1. 1e-3 2E+10 1.5e3 1_000 1_000.000_1 0x1F 0X_ff 0o17 0b101"))
                    .allSatisfy(token -> assertThat(token.kind()).isEqualTo(Kind.NUMBER))
                    .extracting(Token::text)
                    .containsExactly("1", "1.5", ".5", "1.", "1e-3", "2E+10", "1.5e3", "1_000", "1_000.000_1", "0x1F",
                            "0X_ff", "0o17", "0b101");
        }

        @Test
        void aRangeIsANumberTwoDotsAndANumber() {
            assertThat(texts("1..10")).containsExactly("1", "..", "10");
        }

        @Test
        void aNumberFollowedByAnOperatorOrPunctuationEndsThere() {
            assertThat(texts("1+2,3.5)")).containsExactly("1", "+", "2", ",", "3.5", ")");
        }

        @ParameterizedTest(name = "{0} is rejected")
        @ValueSource(strings = {"123abc", "1e5$$", "1e", "1e+", "1.5e", "1__0", "1_", "0x", "0x_", "0x1Fg", "0b102", "1.x"})
        void aNumberWithTrailingJunkIsRejectedAsPostgresqlDoes(String junk) {
            assertThatThrownBy(() -> tokens("select " + junk + " ;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessageStartingWith("<sql>:1: trailing junk after numeric literal \"");
        }

        @Test
        void trailingJunkIsReportedWithTheWholeJunkToken() {
            // PostgreSQL 14 read E'\';' here and PostgreSQL 15+ 1e then '\', so neither is guessed
            assertThatThrownBy(() -> tokens("select 1;\nselect 1e'\\';' as x;"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: trailing junk after numeric literal \"1e\" at line 2");
        }

        @Test
        void aParameterWithTrailingJunkIsRejected() {
            assertThatThrownBy(() -> tokens("select $1abc"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:1: trailing junk after parameter \"$1abc\" at line 1");
        }

        @Test
        void operatorsAreRunsOfOperatorCharacters() {
            assertThat(tokens("a <> b ->> c || d")).filteredOn(token -> token.kind() == Kind.OPERATOR)
                    .extracting(Token::text).containsExactly("<>", "->>", "||");
        }

        @Test
        void aTrailingMinusIsSplitOffAnOperatorLikePostgresqlDoes() {
            assertThat(texts("a=-1")).containsExactly("a", "=", "-", "1");
        }

        @Test
        void aTrailingMinusStaysWhenTheOperatorHasACharacterThatKeepsIt() {
            assertThat(texts("a@-1")).containsExactly("a", "@-", "1");
        }

        @Test
        void aCommentStartEndsAnOperator() {
            assertThat(texts("2 *-- c\n3 */* c */ 4")).containsExactly("2", "*", "3", "*", "4");
        }

        @Test
        void punctuationIsSingleCharactersAndPostgresqlsTwoCharacterTokens() {
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
        void aCharacterPostgresqlDoesNotAcceptIsAnOtherToken() {
            assertThat(tokens("{")).extracting(Token::kind).containsExactly(Kind.OTHER);
        }
    }

    @Nested
    class Comments {

        @Test
        void aLineCommentIsSkipped() {
            assertThat(texts("a -- ; b\nc")).containsExactly("a", "c");
        }

        @Test
        void aBlockCommentIsSkipped() {
            assertThat(texts("a /* ; */ b")).containsExactly("a", "b");
        }

        @Test
        void blockCommentsNest() {
            assertThat(texts("a /* x /* ; */ still comment ; */ b")).containsExactly("a", "b");
        }

        @Test
        void aLineCommentMarkerInsideABlockCommentDoesNotHideItsEnd() {
            assertThat(texts("a /* -- */ b")).containsExactly("a", "b");
        }

        @Test
        void anUnterminatedBlockCommentIsRejectedWithItsStartingLine() {
            assertThatThrownBy(() -> tokens("a\n/* x /* y */\n b"))
                    .isInstanceOf(InvalidScriptException.class)
                    .hasMessage("<sql>:2: unterminated block comment starting at line 2");
        }

        @Test
        void whitespaceIncludesTabsFormFeedsAndVerticalTabs() {
            assertThat(texts("a\tb\fc\u000Bd")).containsExactly("a", "b", "c", "d");
        }
    }

    @Nested
    class MetaCommands {

        @Test
        void aBackslashOutsideQuotesStartsAMetaCommandToTheEndOfTheLine() {
            List<Token> tokens = tokens("\\connect other_db\nselect 1");
            assertThat(tokens.get(0).kind()).isEqualTo(Kind.META_COMMAND);
            assertThat(tokens.get(0).text()).isEqualTo("\\connect other_db");
            assertThat(tokens.get(0).value()).isEqualTo("\\connect");
            assertThat(tokens.get(1).text()).isEqualTo("select");
            assertThat(tokens.get(1).line()).isEqualTo(2);
        }

        @Test
        void aMetaCommandAfterSqlOnTheSameLineIsFound() {
            assertThat(tokens("select 1 \\gset")).extracting(Token::kind)
                    .containsExactly(Kind.WORD, Kind.NUMBER, Kind.META_COMMAND);
        }

        @Test
        void aBackslashInsideAStringDollarQuoteOrCommentIsNotAMetaCommand() {
            assertThat(kinds("'\\x' $$\\y$$ /* \\z */ -- \\w")).containsExactly(Kind.STRING, Kind.DOLLAR_STRING);
        }
    }

    @Nested
    class Positions {

        @Test
        void eachTokenTextIsItsSliceOfTheSource() {
            String sql = "select \"a\", 'b''c', $$d$$ from t -- x\n where e = $1;";
            assertThat(tokens(sql)).allSatisfy(token ->
                    assertThat(sql.substring(token.start(), token.end())).isEqualTo(token.text()));
        }

        @Test
        void aTokenAfterAMultiLineStringIsOnTheRightLine() {
            List<Token> tokens = tokens("select 'a\nb\nc' ,\nx");
            assertThat(tokens).extracting(Token::text, Token::line)
                    .containsExactly(tuple("select", 1), tuple("'a\nb\nc'", 1), tuple(",", 3), tuple("x", 4));
        }

        @Test
        void aTokenAfterAMultiLineCommentIsOnTheRightLine() {
            assertThat(tokens("/* a\nb\n*/ x").get(0).line()).isEqualTo(3);
        }

        @Test
        void crlfCountsAsOneLineBreak() {
            assertThat(tokens("a\r\nb\r\n\r\nc")).extracting(Token::line).containsExactly(1, 2, 4);
        }

        @Test
        void aLoneCarriageReturnCountsAsALineBreak() {
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
        void anErrorLocationNamesTheSourceGivenToTheLexer() {
            SqlLexer lexer = new SqlLexer("V1__init.sql", "select 1;\n'x");
            assertThatThrownBy(() -> {
                while (lexer.next() != null) {
                    // drain
                }
            }).isInstanceOf(InvalidScriptException.class).hasMessageStartingWith("V1__init.sql:2: ");
        }
    }

    @Test
    void tokensReturnsAnUnmodifiableList() {
        assertThatThrownBy(() -> tokens("a").add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyTextHasNoTokens() {
        assertThat(tokens("  -- only a comment\n/* and another */ ")).isEmpty();
    }

    @Test
    void nextReturnsNullAtTheEndAndKeepsDoingSo() {
        SqlLexer lexer = new SqlLexer("s", "a");
        assertThat(lexer.next()).isNotNull();
        assertThat(lexer.next()).isNull();
        assertThat(lexer.next()).isNull();
    }
}
