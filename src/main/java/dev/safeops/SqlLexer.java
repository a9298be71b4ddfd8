package dev.safeops;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tokenizes PostgreSQL SQL text with the rules of PostgreSQL's own lexer ({@code scan.l}) and of
 * psql's ({@code psqlscan.l}), which decides where the statements of a script end.
 *
 * <p>Comments ({@code -- …} to the end of the line, and {@code /* … *}{@code /} which nest) and
 * whitespace separate tokens and are not returned. Everything that can hide a semicolon — string
 * literals of every flavour, quoted identifiers, dollar-quoted strings, comments — is consumed
 * whole, so a caller only ever sees a {@code ;} {@link Kind#PUNCTUATION PUNCTUATION} token where
 * PostgreSQL would.
 *
 * <p>The text is read as with {@code standard_conforming_strings = on} (the default since
 * PostgreSQL 9.1, and what pg_dump sets): in a plain {@code '…'} literal a backslash is an
 * ordinary character; only {@code E'…'} literals have backslash escapes.
 *
 * <p>It follows current PostgreSQL: {@code 0x1F}, {@code 0o17}, {@code 0b101} and {@code 1_000}
 * are numbers, a vertical tab is whitespace, and a number or parameter with identifier characters
 * stuck to it ({@code 123abc}, {@code $1x}) is rejected, as PostgreSQL 15 and later reject it.
 *
 * <p>A lexer is single-use and not thread-safe: create one per text and call {@link #next()} until
 * it returns {@code null}, or use {@link #tokens(String)}.
 */
final class SqlLexer {

    /** What a {@link Token} is. */
    enum Kind {
        /** An unquoted identifier or keyword; {@link Token#value()} is folded to lower case. */
        WORD,
        /** {@code "…"} or {@code U&"…"}; {@link Token#value()} is the identifier, unescaped. */
        QUOTED_IDENTIFIER,
        /** {@code '…'}, {@code E'…'}, {@code N'…'}, {@code U&'…'}, {@code B'…'}, {@code X'…'}. */
        STRING,
        /** {@code $$…$$} or {@code $tag$…$tag$}; {@link Token#value()} is the body. */
        DOLLAR_STRING,
        /** A numeric literal such as {@code 42}, {@code 1.5e-3}, {@code .5}, {@code 1_000} or {@code 0x1F}. */
        NUMBER,
        /** A positional parameter such as {@code $1}. */
        PARAMETER,
        /** A run of operator characters such as {@code =}, {@code <>}, {@code ->>} or {@code ||}. */
        OPERATOR,
        /** One of {@code ( ) , ; [ ] . :} or PostgreSQL's two-character {@code ::}, {@code :=}, {@code ..}. */
        PUNCTUATION,
        /**
         * A psql backslash command, from the backslash to the end of the line; {@link Token#value()}
         * is the command name such as {@code \connect}. The server does not understand these.
         */
        META_COMMAND,
        /** A character PostgreSQL does not accept here, such as a brace or a lone {@code $}. */
        OTHER
    }

    /**
     * One token.
     *
     * @param kind what the token is
     * @param text the token exactly as it appears in the source
     * @param value the token's meaning: the identifier for words (ASCII letters folded to lower case,
     *     as PostgreSQL does; not truncated to 63 bytes) and quoted identifiers (quotes removed,
     *     {@code ""} unescaped, {@code U&} escapes decoded), the content of string literals with
     *     their escapes decoded (for {@code B'…'}/{@code X'…'} the digits; {@code U&} literals are
     *     decoded with the default escape character, a following {@code UESCAPE} clause stays
     *     separate tokens), the body of dollar-quoted strings, the command name of meta-commands;
     *     otherwise the same as {@code text}
     * @param start offset of the first character in the source
     * @param end offset just after the last character in the source
     * @param line 1-based line the token starts on
     */
    record Token(Kind kind, String text, String value, int start, int end, int line) {

        /**
         * Whether this is the unquoted word {@code word}, compared case-insensitively for ASCII
         * letters only, as PostgreSQL compares keywords ({@code "CONCURRENTLY"} or
         * {@code concurrently_idx} is not the keyword {@code CONCURRENTLY}).
         */
        boolean isWord(String word) {
            return kind == Kind.WORD && value.equals(asciiLowerCase(word));
        }

        /** Whether this is the operator or punctuation {@code symbol}, such as {@code ;} or {@code =}. */
        boolean isSymbol(String symbol) {
            return (kind == Kind.OPERATOR || kind == Kind.PUNCTUATION) && text.equals(symbol);
        }
    }

    private static final String OPERATOR_CHARS = "~!@#^&|`?+-*/%<>=";
    /** An operator ending in + or - keeps it only if it has one of these (so {@code a=-1} is a = -1). */
    private static final String OPERATOR_CHARS_KEEPING_TRAILING_SIGN = "~!@#^&|`?%";

    private final String source;
    private final String text;
    private int pos;
    // Lines are computed on demand from the last position asked about; tokens come in order.
    private int lineCursor;
    private int lineAtCursor = 1;

    /**
     * @param source name of the text for error locations, usually the file name
     * @param text the SQL text
     */
    SqlLexer(String source, String text) {
        this.source = Objects.requireNonNull(source, "source");
        this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * Returns all tokens of {@code sql}.
     *
     * @throws InvalidScriptException if a string, quoted identifier, dollar-quoted string or block
     *     comment is not terminated, or a number has trailing junk; its location names the source
     *     {@code <sql>}
     */
    static List<Token> tokens(String sql) {
        SqlLexer lexer = new SqlLexer("<sql>", sql);
        List<Token> tokens = new ArrayList<>();
        for (Token token = lexer.next(); token != null; token = lexer.next()) {
            tokens.add(token);
        }
        return List.copyOf(tokens);
    }

    /**
     * Returns the 1-based line that {@code offset} of {@code text} is on. {@code \n}, {@code \r\n}
     * and a lone {@code \r} each end a line, as they do for token lines.
     */
    static int lineAt(String text, int offset) {
        return 1 + lineBreaks(text, 0, offset);
    }

    /** Lower-cases ASCII letters only, the way PostgreSQL folds unquoted identifiers. */
    static String asciiLowerCase(String s) {
        StringBuilder folded = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (folded == null) {
                    folded = new StringBuilder(s);
                }
                folded.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return folded == null ? s : folded.toString();
    }

    /**
     * Returns the next token, or {@code null} at the end of the text.
     *
     * @throws InvalidScriptException if a string, quoted identifier, dollar-quoted string or block
     *     comment starting here is not terminated, or a number here has trailing junk
     */
    Token next() {
        skipWhitespaceAndComments();
        if (pos >= text.length()) {
            return null;
        }
        int start = pos;
        char c = text.charAt(pos);
        char c1 = charAt(pos + 1);
        if (c == '\'') {
            return quoted(start, start, Kind.STRING, "string literal", false);
        }
        if (c == '"') {
            return quoted(start, start, Kind.QUOTED_IDENTIFIER, "quoted identifier", false);
        }
        if (isIdentStart(c)) {
            return prefixedLiteralOrWord(start, c, c1);
        }
        if (isDigit(c) || (c == '.' && isDigit(c1))) {
            return number(start);
        }
        if (c == '$') {
            return dollar(start, c1);
        }
        if (c == '\\') {
            return metaCommand(start);
        }
        if ((c == ':' && (c1 == ':' || c1 == '=')) || (c == '.' && c1 == '.')) {
            return token(Kind.PUNCTUATION, start, start + 2);
        }
        if ("(),;[].:".indexOf(c) >= 0) {
            return token(Kind.PUNCTUATION, start, start + 1);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            return operator(start);
        }
        return token(Kind.OTHER, start, start + 1);
    }

    private void skipWhitespaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B') {
                pos++;
            } else if (text.startsWith("--", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int start = pos;
        int depth = 0;
        while (pos < text.length()) {
            if (text.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (text.startsWith("*/", pos)) {
                pos += 2;
                if (--depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw unterminated("block comment", start);
    }

    /** E'…', N'…', B'…', X'…', U&'…' and U&"…" start like a word, so they are told apart here. */
    private Token prefixedLiteralOrWord(int start, char c, char c1) {
        if (c1 == '\'') {
            switch (c) {
                case 'e', 'E' -> {
                    return escapeString(start);
                }
                case 'n', 'N' -> {
                    return quoted(start, start + 1, Kind.STRING, "string literal", false);
                }
                case 'b', 'B' -> {
                    return bitString(start, "bit-string literal");
                }
                case 'x', 'X' -> {
                    return bitString(start, "hexadecimal bit-string literal");
                }
                default -> {
                    // an ordinary word such as "a" followed by a string: handled below
                }
            }
        }
        if ((c == 'u' || c == 'U') && c1 == '&') {
            char quote = charAt(start + 2);
            if (quote == '\'') {
                return quoted(start, start + 2, Kind.STRING, "Unicode string literal", true);
            }
            if (quote == '"') {
                return quoted(start, start + 2, Kind.QUOTED_IDENTIFIER, "Unicode quoted identifier", true);
            }
        }
        pos = start + 1;
        while (pos < text.length() && isIdentCont(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        return new Token(Kind.WORD, word, asciiLowerCase(word), start, pos, lineAt(start));
    }

    /**
     * A literal or identifier enclosed in {@code quote} where a doubled quote stands for one:
     * {@code '…'}, {@code N'…'}, {@code U&'…'}, {@code "…"}, {@code U&"…"}.
     */
    private Token quoted(int start, int openingQuote, Kind kind, String what, boolean unicodeEscapes) {
        char quote = text.charAt(openingQuote);
        int closing = openingQuote + 1;
        while (true) {
            closing = text.indexOf(quote, closing);
            if (closing < 0) {
                throw unterminated(what, start);
            }
            if (charAt(closing + 1) != quote) {
                break;
            }
            closing += 2;
        }
        pos = closing + 1;
        String doubled = String.valueOf(quote);
        String content = text.substring(openingQuote + 1, closing).replace(doubled + doubled, doubled);
        return token(kind, start, pos, unicodeEscapes ? decodeUnicodeEscapes(content) : content);
    }

    /** E'…': a backslash escapes the next character, including a quote. */
    private Token escapeString(int start) {
        int i = start + 2;
        while (true) {
            if (i >= text.length()) {
                throw unterminated("escape string literal E'...'", start);
            }
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'' && charAt(i + 1) == '\'') {
                i += 2;
            } else if (c == '\'') {
                break;
            } else {
                i++;
            }
        }
        pos = i + 1;
        return token(Kind.STRING, start, pos, decodeBackslashEscapes(text.substring(start + 2, i)));
    }

    /** B'…' and X'…' hold only digits, so PostgreSQL does not look for doubled quotes in them. */
    private Token bitString(int start, String what) {
        int closing = text.indexOf('\'', start + 2);
        if (closing < 0) {
            throw unterminated(what, start);
        }
        pos = closing + 1;
        return token(Kind.STRING, start, pos, text.substring(start + 2, closing));
    }

    /**
     * A numeric literal, matched like PostgreSQL's lexer: the longest of its number patterns wins,
     * and if the longest is a number with identifier characters stuck to it ({@code 123abc},
     * {@code 1e5$$}, {@code 0x}) the text is rejected, as PostgreSQL 15 and later reject it.
     * PostgreSQL 14 read such text as a number followed by another token, so rejecting it also
     * avoids splitting a statement one version's way.
     */
    private Token number(int start) {
        int integerEnd = digitsEnd(start, 10);
        if (integerEnd > 0 && text.startsWith("..", integerEnd)) {
            return token(Kind.NUMBER, start, integerEnd); // 1..10 is 1, .., 10 (a PL/pgSQL range)
        }
        int radixEnd = -1;
        int radixFailEnd = -1;
        int radix = radixPrefix(start);
        if (radix > 0) {
            boolean underscore = charAt(start + 2) == '_';
            radixEnd = digitsEnd(start + (underscore ? 3 : 2), radix);
            radixFailEnd = start + (underscore ? 3 : 2);
        }
        int numericEnd = -1;
        if (integerEnd < 0) {
            numericEnd = digitsEnd(start + 1, 10); // .5
        } else if (charAt(integerEnd) == '.') {
            numericEnd = Math.max(integerEnd + 1, digitsEnd(integerEnd + 1, 10));
        }
        int realEnd = Math.max(exponentEnd(integerEnd), exponentEnd(numericEnd));
        int valid = Math.max(Math.max(integerEnd, radixEnd), Math.max(numericEnd, realEnd));
        int junk = Math.max(Math.max(identifierEnd(integerEnd), identifierEnd(numericEnd)),
                Math.max(identifierEnd(realEnd), radixFailEnd));
        junk = Math.max(junk, Math.max(signedExponentFailEnd(integerEnd), signedExponentFailEnd(numericEnd)));
        if (junk > valid) {
            throw trailingJunk("numeric literal", start, junk);
        }
        return token(Kind.NUMBER, start, valid);
    }

    /** End of {@code d(_?d)*} in the radix starting at {@code i}, or -1. */
    private int digitsEnd(int i, int radix) {
        if (!isDigit(charAt(i), radix)) {
            return -1;
        }
        int end = i + 1;
        while (true) {
            if (isDigit(charAt(end), radix)) {
                end++;
            } else if (charAt(end) == '_' && isDigit(charAt(end + 1), radix)) {
                end += 2;
            } else {
                return end;
            }
        }
    }

    private int radixPrefix(int i) {
        if (charAt(i) != '0') {
            return 0;
        }
        return switch (charAt(i + 1)) {
            case 'x', 'X' -> 16;
            case 'o', 'O' -> 8;
            case 'b', 'B' -> 2;
            default -> 0;
        };
    }

    /** End of an exponent {@code [eE][+-]?digits} at {@code i}, or -1. */
    private int exponentEnd(int i) {
        if (i < 0 || (charAt(i) != 'e' && charAt(i) != 'E')) {
            return -1;
        }
        int digits = isSign(charAt(i + 1)) ? i + 2 : i + 1;
        return digitsEnd(digits, 10);
    }

    /** End of an exponent marker and sign without digits, {@code [eE][+-]} at {@code i}, or -1. */
    private int signedExponentFailEnd(int i) {
        return i >= 0 && (charAt(i) == 'e' || charAt(i) == 'E') && isSign(charAt(i + 1)) ? i + 2 : -1;
    }

    /** End of an identifier starting at {@code i}, or -1. */
    private int identifierEnd(int i) {
        if (i < 0 || !isIdentStart(charAt(i))) {
            return -1;
        }
        int end = i + 1;
        while (end < text.length() && isIdentCont(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private InvalidScriptException trailingJunk(String what, int start, int end) {
        int line = lineAt(start);
        return new InvalidScriptException(new Location(source, line),
                "trailing junk after " + what + " \"" + text.substring(start, end) + "\" at line " + line);
    }

    /** {@code $1}, {@code $$…$$}, {@code $tag$…$tag$}, or a lone {@code $}. */
    private Token dollar(int start, char c1) {
        if (isDigit(c1)) {
            int end = start + 1;
            while (isDigit(charAt(end))) {
                end++;
            }
            if (isIdentStart(charAt(end))) {
                throw trailingJunk("parameter", start, identifierEnd(end));
            }
            return token(Kind.PARAMETER, start, end);
        }
        int tagEnd = start + 1;
        if (isIdentStart(c1)) {
            // unlike identifiers, tags cannot contain '$': in $a$b$ the tag is "a"
            while (tagEnd < text.length() && isIdentCont(text.charAt(tagEnd)) && text.charAt(tagEnd) != '$') {
                tagEnd++;
            }
        }
        if (charAt(tagEnd) != '$') {
            return token(Kind.OTHER, start, start + 1);
        }
        String delimiter = text.substring(start, tagEnd + 1);
        int bodyStart = tagEnd + 1;
        // PostgreSQL ends the string at the first occurrence of the exact opening delimiter, even
        // one glued to a word ("x$fn$"); other tags like $$ inside $fn$ are just body text.
        int closing = text.indexOf(delimiter, bodyStart);
        if (closing < 0) {
            throw unterminated("dollar-quoted string " + delimiter, start);
        }
        pos = closing + delimiter.length();
        return token(Kind.DOLLAR_STRING, start, pos, text.substring(bodyStart, closing));
    }

    /** psql reads a backslash command to the end of its line; its name ends at a space or backslash. */
    private Token metaCommand(int start) {
        int nameEnd = start + 1;
        while (nameEnd < text.length() && !Character.isWhitespace(text.charAt(nameEnd)) && text.charAt(nameEnd) != '\\') {
            nameEnd++;
        }
        pos = nameEnd;
        while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            pos++;
        }
        return token(Kind.META_COMMAND, start, pos, text.substring(start, nameEnd));
    }

    private Token operator(int start) {
        int end = start + 1;
        // a comment start ends the operator: "*--x" is "*" and a comment
        while (end < text.length() && OPERATOR_CHARS.indexOf(text.charAt(end)) >= 0
                && !text.startsWith("--", end) && !text.startsWith("/*", end)) {
            end++;
        }
        if (end - start > 1 && isSign(text.charAt(end - 1)) && !keepsTrailingSign(start, end)) {
            do {
                end--;
            } while (end - start > 1 && isSign(text.charAt(end - 1)));
        }
        return token(Kind.OPERATOR, start, end);
    }

    private boolean keepsTrailingSign(int start, int end) {
        for (int i = start; i < end; i++) {
            if (OPERATOR_CHARS_KEEPING_TRAILING_SIGN.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private Token token(Kind kind, int start, int end) {
        return token(kind, start, end, text.substring(start, end));
    }

    private Token token(Kind kind, int start, int end, String value) {
        pos = end;
        return new Token(kind, text.substring(start, end), value, start, end, lineAt(start));
    }

    private InvalidScriptException unterminated(String what, int start) {
        int line = lineAt(start);
        return new InvalidScriptException(new Location(source, line),
                "unterminated " + what + " starting at line " + line);
    }

    private int lineAt(int offset) {
        if (offset < lineCursor) {
            return lineAt(text, offset);
        }
        lineAtCursor += lineBreaks(text, lineCursor, offset);
        lineCursor = offset;
        return lineAtCursor;
    }

    private static int lineBreaks(String text, int from, int to) {
        int breaks = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            // \r\n is counted at its \n, so the count is right wherever a range starts or ends
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }

    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigit(char c, int radix) {
        int value = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : Integer.MAX_VALUE;
        return value < radix;
    }

    private static boolean isSign(char c) {
        return c == '+' || c == '-';
    }

    // PostgreSQL treats every byte >= 0x80 as a letter, so every non-ASCII character is one here.
    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    /**
     * Decodes the escapes of an E'…' literal: backslash followed by b f n r t, by up to three octal
     * or by x and up to two hexadecimal digits (a byte), by u and four or U and eight hexadecimal
     * digits (a code point), or by any other character (that character). Octal and hexadecimal
     * escapes are bytes of the UTF-8 encoding, so the result is assembled as bytes.
     */
    private static String decodeBackslashEscapes(String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length());
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\'') { // the lexer only lets doubled quotes through
                plain.append('\'');
                i += 2;
                continue;
            }
            if (c != '\\' || i + 1 >= content.length()) {
                plain.append(c);
                i++;
                continue;
            }
            char e = content.charAt(i + 1);
            int octalDigits = countDigits(content, i + 1, 3, 8);
            int hexDigits = e == 'x' ? countDigits(content, i + 2, 2, 16) : 0;
            int codePointDigits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
            if (octalDigits > 0 || hexDigits > 0) {
                flush(plain, bytes);
                int digitsStart = octalDigits > 0 ? i + 1 : i + 2;
                int digits = octalDigits > 0 ? octalDigits : hexDigits;
                bytes.write(Integer.parseInt(content.substring(digitsStart, digitsStart + digits), octalDigits > 0 ? 8 : 16));
                i = digitsStart + digits;
            } else if (codePointDigits > 0 && countDigits(content, i + 2, codePointDigits, 16) == codePointDigits
                    && Character.isValidCodePoint(Integer.parseInt(content.substring(i + 2, i + 2 + codePointDigits), 16))) {
                plain.appendCodePoint(Integer.parseInt(content.substring(i + 2, i + 2 + codePointDigits), 16));
                i += 2 + codePointDigits;
            } else {
                plain.append(switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
                i += 2;
            }
        }
        flush(plain, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void flush(StringBuilder plain, ByteArrayOutputStream bytes) {
        bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
        plain.setLength(0);
    }

    /** Decodes U&amp; escapes with the default escape character: \\ , \XXXX and \+XXXXXX. */
    private static String decodeUnicodeEscapes(String content) {
        StringBuilder decoded = new StringBuilder(content.length());
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\\' && i + 1 < content.length() && content.charAt(i + 1) == '\\') {
                decoded.append('\\');
                i += 2;
            } else if (c == '\\' && countDigits(content, i + 1, 4, 16) == 4) {
                decoded.append((char) Integer.parseInt(content.substring(i + 1, i + 5), 16));
                i += 5;
            } else if (c == '\\' && i + 1 < content.length() && content.charAt(i + 1) == '+'
                    && countDigits(content, i + 2, 6, 16) == 6
                    && Character.isValidCodePoint(Integer.parseInt(content.substring(i + 2, i + 8), 16))) {
                decoded.appendCodePoint(Integer.parseInt(content.substring(i + 2, i + 8), 16));
                i += 8;
            } else {
                // an invalid escape is kept as written; the server reports it
                decoded.append(c);
                i++;
            }
        }
        return decoded.toString();
    }

    private static int countDigits(String s, int from, int max, int radix) {
        int n = 0;
        while (n < max && from + n < s.length() && Character.digit(s.charAt(from + n), radix) >= 0
                && s.charAt(from + n) < 0x80) {
            n++;
        }
        return n;
    }
}
