package dev.safeops;

import dev.safeops.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A schema object that should exist, such as {@code table users} or {@code column users.password}:
 * what {@link SchemaCheck} looks up, read-only, to answer "which expected tables and columns are
 * missing" without touching the schema.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Names are exact catalog names: {@link #parse} folds unquoted names to lower case and keeps
 *       double-quoted ones as written, as PostgreSQL does, so {@code table Users} and
 *       {@code table users} mean the same table and {@code table "Users"} another one. The record's
 *       constructor takes names as they are.</li>
 *   <li>A {@code null} {@link #schema()} means "any schema on the search path" (the schemas of
 *       {@code current_schemas(false)} on the connection that checks).</li>
 *   <li>A name PostgreSQL would truncate (over 63 bytes) or a blank name is refused, because it
 *       could only ever match a different object.</li>
 * </ul>
 *
 * @param kind   what sort of object
 * @param schema its schema, or {@code null} for the search path
 * @param name   its name; for a {@link Kind#COLUMN} the table's name
 * @param column the column's name for a {@link Kind#COLUMN}, otherwise {@code null}
 */
public record Expectation(Kind kind, String schema, String name, String column) {

    /** The sorts of object an expectation can name; each is written in lower case in expectations files. */
    public enum Kind {
        /** A table: ordinary, partitioned or foreign. */
        TABLE,
        /** A column of a table, view or materialized view. */
        COLUMN,
        /** An index; one left invalid by a failed concurrent build does not count as present. */
        INDEX,
        /** A type created on its own (enum, domain, range, composite, base), not a table's row type. */
        TYPE,
        /** A table or domain constraint, by its name. */
        CONSTRAINT,
        /** A function, procedure or aggregate, by its name, whatever its arguments. */
        FUNCTION;

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @throws NullPointerException if {@code kind} or {@code name} is {@code null}
     * @throws IllegalArgumentException if a name is blank or too long, or {@code column} is given for
     *     anything but a column or missing for a column
     */
    public Expectation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (schema != null) {
            Identifier.checked(schema, "schema name");
        }
        Identifier.checked(name, kind == Kind.COLUMN ? "table name" : kind.keyword() + " name");
        if (kind == Kind.COLUMN) {
            Identifier.checked(column, "column name");
        } else if (column != null) {
            throw new IllegalArgumentException("only a column expectation names a column, not a " + kind.keyword());
        }
    }

    /**
     * Reads one expectation as written in an expectations file: a kind ({@code table}, {@code column},
     * {@code index}, {@code type}, {@code constraint}, {@code function}) and a name with an optional
     * schema ({@code table app.users}); a column is {@code [schema.]table.column}. Names follow SQL
     * rules: unquoted ones fold to lower case, {@code "Quoted"} ones are kept.
     *
     * @throws IllegalArgumentException if the text is not such an expectation; the message says why
     */
    public static Expectation parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokens(text);
        } catch (InvalidScriptException e) {
            throw new IllegalArgumentException("unterminated quote in \"" + text.strip() + "\"", e);
        }
        if (tokens.isEmpty() || tokens.get(0).kind() != SqlLexer.Kind.WORD) {
            throw new IllegalArgumentException("expected a kind of object (" + kinds() + ") followed by a name, not \""
                    + text.strip() + "\"");
        }
        Kind kind = kindOf(tokens.get(0));
        List<String> parts = nameParts(tokens.subList(1, tokens.size()), text);
        int expected = kind == Kind.COLUMN ? 2 : 1;
        if (parts.size() != expected && parts.size() != expected + 1) {
            throw new IllegalArgumentException(kind == Kind.COLUMN
                    ? "a column is written [schema.]table.column, not \"" + text.strip() + "\""
                    : "a " + kind.keyword() + " is written " + kind.keyword() + " [schema.]name, not \""
                            + text.strip() + "\"");
        }
        String schema = parts.size() > expected ? parts.get(0) : null;
        List<String> own = parts.subList(parts.size() - expected, parts.size());
        return new Expectation(kind, schema, own.get(0), kind == Kind.COLUMN ? own.get(1) : null);
    }

    /**
     * Reads an expectations file's text: one expectation per line; blank lines and lines starting with
     * {@code #} are ignored.
     *
     * @param name how messages refer to the file, usually its path
     * @throws IllegalArgumentException naming {@code name:line} for the first line that is not an
     *     expectation
     */
    public static List<Expectation> parseAll(String name, String text) {
        Objects.requireNonNull(name, "name");
        List<Expectation> expectations = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                expectations.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(new Location(name, i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(expectations);
    }

    /**
     * The index a {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table …}
     * statement creates, in its table's schema, so that a caller can check afterwards that it is there
     * and valid: a concurrent build that fails half-way leaves an invalid index behind, which
     * {@code IF NOT EXISTS} then silently keeps. Empty for any other statement, and for a
     * {@code CREATE INDEX} that lets PostgreSQL choose the name.
     */
    public static Optional<Expectation> indexCreatedBy(String sql) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokens(Objects.requireNonNull(sql, "sql"));
        } catch (InvalidScriptException e) {
            return Optional.empty();
        }
        int i = 0;
        if (!isWord(tokens, i++, "CREATE")) {
            return Optional.empty();
        }
        if (isWord(tokens, i, "UNIQUE")) {
            i++;
        }
        if (!isWord(tokens, i++, "INDEX")) {
            return Optional.empty();
        }
        if (isWord(tokens, i, "CONCURRENTLY")) {
            i++;
        }
        if (isWord(tokens, i, "IF") && isWord(tokens, i + 1, "NOT") && isWord(tokens, i + 2, "EXISTS")) {
            i += 3;
        }
        if (isWord(tokens, i, "ON") || i >= tokens.size() || !isIdentifier(tokens.get(i))) {
            return Optional.empty();
        }
        String index = tokens.get(i++).value();
        if (!isWord(tokens, i++, "ON")) {
            return Optional.empty();
        }
        if (isWord(tokens, i, "ONLY")) {
            i++;
        }
        String schema = null;
        if (i + 2 < tokens.size() && isIdentifier(tokens.get(i)) && tokens.get(i + 1).isSymbol(".")
                && isIdentifier(tokens.get(i + 2))) {
            schema = tokens.get(i).value();
        }
        try {
            return Optional.of(new Expectation(Kind.INDEX, schema, index, null));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The expectation as it is written in an expectations file, e.g. {@code column app.users.password}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind.keyword()).append(' ');
        if (schema != null) {
            text.append(written(schema)).append('.');
        }
        text.append(written(name));
        if (column != null) {
            text.append('.').append(written(column));
        }
        return text.toString();
    }

    private static Kind kindOf(Token word) {
        for (Kind kind : Kind.values()) {
            if (word.isWord(kind.keyword())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind of object \"" + word.text() + "\"; expected one of " + kinds());
    }

    /** Identifiers separated by dots, and nothing else. */
    private static List<String> nameParts(List<Token> tokens, String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean wanted = i % 2 == 0 ? isIdentifier(token) : token.isSymbol(".");
            if (!wanted) {
                throw new IllegalArgumentException("unexpected \"" + token.text() + "\" in \"" + text.strip()
                        + "\"; names are identifiers separated by dots, e.g. app.users");
            }
            if (i % 2 == 0) {
                parts.add(token.value());
            }
        }
        if (parts.isEmpty() || tokens.size() % 2 == 0) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" does not end with a name");
        }
        return parts;
    }

    private static String kinds() {
        StringBuilder list = new StringBuilder();
        for (Kind kind : Kind.values()) {
            list.append(list.length() == 0 ? "" : ", ").append(kind.keyword());
        }
        return list.toString();
    }

    /** A name as it must be written to read back the same: quoted unless it is a plain lower-case word. */
    private static String written(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_$]*") ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static boolean isWord(List<Token> tokens, int index, String word) {
        return index < tokens.size() && tokens.get(index).isWord(word);
    }

    private static boolean isIdentifier(Token token) {
        return token.kind() == SqlLexer.Kind.WORD || token.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER;
    }
}
