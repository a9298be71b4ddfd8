package dev.safeops;

import dev.safeops.SqlLexer.Kind;
import dev.safeops.SqlLexer.Token;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A plain PostgreSQL SQL script — a pg_dump file or a hand-written migration — split into the
 * statements psql would send for it, each of which safe-ops then runs guarded.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Statements are split exactly where psql splits them: at a {@code ;} outside parentheses.
 *       A semicolon inside a string literal ({@code '…'}, {@code E'…'} with backslash escapes,
 *       {@code U&'…'}, …), a dollar-quoted string ({@code $$…$$}, {@code $tag$…$tag$}), a quoted
 *       identifier or a comment (including nested {@code /* … *}{@code /}) does not end a
 *       statement, and neither does one inside the {@code BEGIN ATOMIC … END} body of a {@code
 *       CREATE [OR REPLACE] FUNCTION|PROCEDURE}, which psql recognises the same way.
 *   <li>Every statement keeps the script name and the line of its first token, and its text is the
 *       source text unchanged (see {@link ScriptStatement#sql()}). Empty statements ({@code ;;})
 *       are dropped; a last statement without a {@code ;} counts. A byte order mark at the start is
 *       ignored.
 *   <li>Anything safe-ops could not run faithfully is rejected with an {@link
 *       InvalidScriptException} naming the file and line, while reading and therefore before any
 *       statement could have been sent: an unterminated string, quoted identifier, dollar-quoted
 *       string or block comment; a psql meta-command ({@code \connect}, {@code \set}, {@code \i},
 *       {@code \.}, … — any backslash outside quotes and comments, except the <code>&#92;restrict</code> and
 *       <code>&#92;unrestrict</code> lines recent pg_dump versions write between statements, which are
 *       skipped); {@code COPY … FROM STDIN},
 *       whose data would follow inline; {@code SET standard_conforming_strings = off}, after which
 *       PostgreSQL would read the rest differently; a number with identifier characters stuck to
 *       it ({@code 123abc}), which PostgreSQL rejects and version 14 split differently; a
 *       parenthesis or {@code BEGIN ATOMIC} left open at the end, which would make the rest of the
 *       script one statement; a NUL character (binary data); a script without any statement; and,
 *       for {@link #read(Path)}, a file that is unreadable or not valid UTF-8.
 * </ul>
 *
 * <p>Instances are immutable.
 */
public final class Script {

    /**
     * pg_dump (15.14, 16.10, 17.6 and later) wraps its output in these. They only restrict psql's own
     * meta-commands, which safe-ops never runs, so they are skipped rather than refused.
     */
    private static final Set<String> IGNORED_META_COMMANDS = Set.of("\\restrict", "\\unrestrict");

    private final String name;
    private final List<ScriptStatement> statements;

    private Script(String name, List<ScriptStatement> statements) {
        this.name = name;
        this.statements = List.copyOf(statements);
    }

    /**
     * Splits SQL text into statements.
     *
     * @param name how locations refer to the script, usually its file name
     * @param text the script's text; a leading byte order mark is ignored
     * @throws InvalidScriptException if the script is rejected (see the class description)
     */
    public static Script parse(String name, String text) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        String sql = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            throw binary(name, SqlLexer.lineAt(sql, nul));
        }
        return new Script(name, split(name, sql));
    }

    /**
     * A script made of statements already read, for example some statements of another script. The
     * statements keep their own locations.
     *
     * @throws IllegalArgumentException if {@code statements} is empty
     */
    public static Script of(String name, List<ScriptStatement> statements) {
        Objects.requireNonNull(name, "name");
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one statement");
        }
        return new Script(name, statements);
    }

    /**
     * Reads a script file, which must be UTF-8 (with or without a byte order mark), and splits it
     * into statements. The script's {@linkplain #name() name} is {@code file} as given.
     *
     * @throws InvalidScriptException if the file cannot be read (the message names the operating
     *     system's reason), is binary (contains a NUL byte), is not valid UTF-8, or is rejected
     *     like any parsed text (see the class description)
     */
    public static Script read(Path file) {
        String name = Objects.requireNonNull(file, "file").toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidScriptException(new Location(name, 1), "cannot read " + name + ": " + reason(e), e);
        }
        return parse(name, decodeUtf8(name, bytes));
    }

    /** Returns the script's name as given to {@link #parse} or {@link #read}. */
    public String name() {
        return name;
    }

    /** Returns the statements in script order; never empty, unmodifiable. */
    public List<ScriptStatement> statements() {
        return statements;
    }

    /** Returns the number of statements. */
    public int size() {
        return statements.size();
    }

    @Override
    public String toString() {
        return "Script[" + name + ", " + statements.size() + " statements]";
    }

    private static List<ScriptStatement> split(String name, String sql) {
        SqlLexer lexer = new SqlLexer(name, sql);
        List<ScriptStatement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        StatementEnd end = new StatementEnd();
        for (Token token = lexer.next(); token != null; token = lexer.next()) {
            if (token.kind() == Kind.META_COMMAND && current.isEmpty()
                    && IGNORED_META_COMMANDS.contains(token.value())) {
                continue;
            }
            if (token.kind() == Kind.META_COMMAND) {
                throw new InvalidScriptException(new Location(name, token.line()), "psql meta-command " + token.value()
                        + " is not supported by safe-ops (line " + token.line() + ")");
            }
            if (end.isEnd(token)) {
                if (!current.isEmpty()) {
                    statements.add(statement(name, sql, statements.size(), current));
                    current = new ArrayList<>();
                }
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) {
            end.requireNothingOpen(name);
            statements.add(statement(name, sql, statements.size(), current));
        }
        if (statements.isEmpty()) {
            throw new InvalidScriptException(new Location(name, 1), "no SQL statements in " + name);
        }
        return statements;
    }

    private static ScriptStatement statement(String name, String sql, int index, List<Token> tokens) {
        Token first = tokens.get(0);
        Location location = new Location(name, first.line());
        if (ScriptStatement.copiesFromStdin(tokens)) {
            throw new InvalidScriptException(location,
                    "COPY … FROM STDIN reads inline data, which safe-ops does not run; load data with a separate tool");
        }
        if (ScriptStatement.turnsOffStandardConformingStrings(tokens)) {
            throw new InvalidScriptException(location, "SET standard_conforming_strings = off is not supported: "
                    + "safe-ops reads backslashes in '...' literals as ordinary characters, so it would split "
                    + "the rest of the script differently from PostgreSQL");
        }
        String text = sql.substring(first.start(), tokens.get(tokens.size() - 1).end());
        return new ScriptStatement(index, text, location, tokens);
    }

    /**
     * psql's rule for where a statement ends: a {@code ;} outside parentheses, and outside the
     * BEGIN … END of a statement starting CREATE [OR REPLACE] FUNCTION|PROCEDURE (a SQL-standard
     * body, {@code BEGIN ATOMIC … END}). Like psql it only counts words outside parentheses, and a
     * CASE only inside such a BEGIN, since CASE also ends with END.
     */
    private static final class StatementEnd {
        private int parenthesisDepth;
        private int beginDepth;
        private final List<Token> leadingWords = new ArrayList<>();
        private Token outermostOpenParenthesis;
        private Token outermostOpenBegin;

        /** Whether {@code token} ends the current statement; any other token is taken into account. */
        boolean isEnd(Token token) {
            if (token.isSymbol(";") && parenthesisDepth == 0 && beginDepth == 0) {
                leadingWords.clear();
                return true;
            }
            if (token.isSymbol("(")) {
                if (parenthesisDepth++ == 0) {
                    outermostOpenParenthesis = token;
                }
            } else if (token.isSymbol(")")) {
                parenthesisDepth = Math.max(0, parenthesisDepth - 1);
            } else if (token.kind() == Kind.WORD) {
                if (leadingWords.size() < 4) {
                    leadingWords.add(token);
                }
                if (parenthesisDepth == 0 && definesRoutine()) {
                    countBlock(token);
                }
            }
            return false;
        }

        private void countBlock(Token word) {
            if (word.isWord("BEGIN")) {
                if (beginDepth++ == 0) {
                    outermostOpenBegin = word;
                }
            } else if (word.isWord("CASE") && beginDepth > 0) {
                beginDepth++;
            } else if (word.isWord("END") && beginDepth > 0) {
                beginDepth--;
            }
        }

        private boolean definesRoutine() {
            return isLeadingWord(0, "CREATE")
                    && (isLeadingWord(1, "FUNCTION") || isLeadingWord(1, "PROCEDURE")
                            || (isLeadingWord(1, "OR") && isLeadingWord(2, "REPLACE")
                                    && (isLeadingWord(3, "FUNCTION") || isLeadingWord(3, "PROCEDURE"))));
        }

        private boolean isLeadingWord(int index, String word) {
            return index < leadingWords.size() && leadingWords.get(index).isWord(word);
        }

        /** At the end of the script psql would send the rest as one statement; refuse instead. */
        void requireNothingOpen(String name) {
            if (parenthesisDepth > 0) {
                throw new InvalidScriptException(new Location(name, outermostOpenParenthesis.line()),
                        "parenthesis opened at line " + outermostOpenParenthesis.line()
                                + " is never closed, so the rest of the script would run as one statement");
            }
            if (beginDepth > 0) {
                throw new InvalidScriptException(new Location(name, outermostOpenBegin.line()),
                        "BEGIN at line " + outermostOpenBegin.line()
                                + " has no matching END, so the rest of the script would run as one statement");
            }
        }
    }

    private static String decodeUtf8(String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int nul = indexOf(bytes, (byte) 0);
            if (nul >= 0) {
                throw binary(name, lineAtByte(bytes, nul));
            }
            int line = lineAtByte(bytes, in.position());
            throw new InvalidScriptException(new Location(name, line),
                    "not valid UTF-8 (malformed byte sequence at line " + line + "); safe-ops reads scripts as UTF-8");
        }
        return out.flip().toString();
    }

    private static InvalidScriptException binary(String name, int line) {
        return new InvalidScriptException(new Location(name, line),
                "binary file: contains a NUL character at line " + line + ", which SQL text cannot");
    }

    // Line breaks are ASCII bytes that never occur inside a multi-byte UTF-8 sequence, so decoding
    // the prefix leniently counts them right.
    private static int lineAtByte(byte[] bytes, int offset) {
        String prefix = new String(bytes, 0, offset, StandardCharsets.UTF_8);
        return SqlLexer.lineAt(prefix, prefix.length());
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
            return fileSystemException.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
