package dev.safeops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import dev.safeops.SqlLexer.Kind;
import dev.safeops.SqlLexer.Token;

/**
 * What safe-ops needs to know about a statement before or after running it, read from its tokens
 * (never from the raw text, which would match inside strings and comments): whether it returns rows,
 * whether it controls transactions, which relations it names, and the two shapes whose generic
 * SQLSTATEs need a catalog look-up.
 */
final class StatementShape {

    /** Keywords after which a relation name may follow. */
    private static final Set<String> BEFORE_RELATION = Set.of("TABLE", "ONLY", "INTO", "FROM", "JOIN", "REFERENCES",
            "UPDATE", "ON", "INDEX", "VIEW", "SEQUENCE", "EXISTS", "PARTITION", "OF", "TRUNCATE");
    /** Keywords that may stand where a relation name is expected but are not one. */
    private static final Set<String> NOT_A_NAME = Set.of("IF", "NOT", "EXISTS", "ONLY", "TABLE", "LATERAL", "SELECT",
            "CONCURRENTLY", "UNIQUE", "INDEX", "VIEW", "MATERIALIZED", "RECURSIVE", "SEQUENCE", "DELETE", "UPDATE",
            "INSERT", "TRUNCATE", "CASCADE", "RESTRICT", "VALUES", "FOR", "ALL", "SCHEMA", "FUNCTION", "TYPE", "DEFAULT");
    private static final Set<String> ROW_RETURNING = Set.of("SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN",
            "FETCH");
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT",
            "SAVEPOINT", "RELEASE");

    /** {@code ALTER TABLE table ADD [CONSTRAINT name] PRIMARY KEY (columns)}. */
    record PrimaryKey(QualifiedName table, List<String> columns) {
    }

    /** {@code ALTER TABLE parent ATTACH PARTITION child …}. */
    record Partition(QualifiedName parent, QualifiedName child) {
    }

    private final String sql;
    private final List<Token> tokens;

    private StatementShape(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    static StatementShape of(String sql) {
        return new StatementShape(sql, SqlLexer.tokens(sql));
    }

    /** The statement on one line, shortened, for reports. */
    String summary() {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 79) + "…";
    }

    boolean returnsRows() {
        return ROW_RETURNING.contains(word(0)) || tokens.stream().anyMatch(t -> isWord(t, "RETURNING"));
    }

    boolean transactionControl() {
        String first = word(0);
        return TRANSACTION_CONTROL.contains(first)
                || (first.equals("START") && word(1).equals("TRANSACTION"))
                || (first.equals("PREPARE") && word(1).equals("TRANSACTION"));
    }

    /**
     * Whether the statement is {@code COPY … FROM STDIN} or {@code COPY … TO STDOUT}, whose data
     * travels in a protocol exchange of its own that safe-ops' channels do not speak.
     */
    boolean copiesThroughTheClient() {
        if (!word(0).equals("COPY")) {
            return false;
        }
        for (int i = 2; i < tokens.size(); i++) {
            String word = word(i);
            String before = word(i - 1);
            if ((word.equals("STDIN") && before.equals("FROM")) || (word.equals("STDOUT") && before.equals("TO"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The session setting the statement changes that pgjdbc cannot live with, if any: pgjdbc reads
     * every text value as UTF-8 and every date as ISO, and closes the connection as soon as the
     * server reports {@code client_encoding} other than UTF-8 or a non-ISO {@code DateStyle}.
     * Covers {@code SET [SESSION|LOCAL] client_encoding|NAMES|DateStyle} to such a value and any
     * {@code set_config('client_encoding'|'DateStyle', …)}.
     */
    Optional<String> driverBreakingSetting() {
        if (word(0).equals("SET")) {
            int name = word(1).equals("SESSION") || word(1).equals("LOCAL") ? 2 : 1;
            String parameter = word(name);
            int value = word(name).equals("NAMES") ? name + 1 : name + 2;
            if (value >= tokens.size() || word(value).equals("DEFAULT")) {
                return Optional.empty();
            }
            String setting = SqlLexer.asciiLowerCase(tokens.get(value).value()).replaceAll("[^a-z0-9]", "");
            if ((parameter.equals("CLIENT_ENCODING") || parameter.equals("NAMES"))
                    && !setting.equals("utf8") && !setting.equals("unicode")) {
                return Optional.of("client_encoding");
            }
            if (parameter.equals("DATESTYLE") && !setting.startsWith("iso")) {
                return Optional.of("DateStyle");
            }
            return Optional.empty();
        }
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (isWord(tokens.get(i), "set_config") && tokens.get(i + 1).text().equals("(")) {
                String parameter = SqlLexer.asciiLowerCase(tokens.get(i + 2).value());
                if (parameter.equals("client_encoding") || parameter.equals("datestyle")) {
                    return Optional.of(parameter.equals("datestyle") ? "DateStyle" : parameter);
                }
            }
        }
        return Optional.empty();
    }

    boolean forbiddenInTransaction() {
        return ScriptStatement.forbiddenInTransaction(tokens);
    }

    /** Relation names in the positions where statements name relations, as PostgreSQL would resolve them. */
    List<QualifiedName> relations() {
        List<QualifiedName> names = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!BEFORE_RELATION.contains(word(i))) {
                continue;
            }
            Cursor cursor = new Cursor(i + 1);
            while (NOT_A_NAME.contains(cursor.word())) {
                cursor.advance();
            }
            cursor.name().ifPresent(names::add);
        }
        return names;
    }

    Optional<PrimaryKey> addedPrimaryKey() {
        Cursor cursor = alterTableTarget();
        if (cursor == null) {
            return Optional.empty();
        }
        Optional<QualifiedName> table = cursor.name();
        if (table.isEmpty() || !cursor.take("ADD")) {
            return Optional.empty();
        }
        if (cursor.take("CONSTRAINT") && cursor.identifier().isEmpty()) {
            return Optional.empty();
        }
        if (!cursor.take("PRIMARY") || !cursor.take("KEY") || !cursor.takePunctuation("(")) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        do {
            Optional<String> column = cursor.identifier();
            if (column.isEmpty()) {
                return Optional.empty();
            }
            columns.add(column.get());
        } while (cursor.takePunctuation(","));
        return cursor.takePunctuation(")") ? Optional.of(new PrimaryKey(table.get(), columns)) : Optional.empty();
    }

    Optional<Partition> attachedPartition() {
        Cursor cursor = alterTableTarget();
        if (cursor == null) {
            return Optional.empty();
        }
        Optional<QualifiedName> parent = cursor.name();
        if (parent.isEmpty() || !cursor.take("ATTACH") || !cursor.take("PARTITION")) {
            return Optional.empty();
        }
        return cursor.name().map(child -> new Partition(parent.get(), child));
    }

    /** A cursor on the table name of {@code ALTER TABLE [IF EXISTS] [ONLY] name}, or null. */
    private Cursor alterTableTarget() {
        Cursor cursor = new Cursor(0);
        if (!cursor.take("ALTER") || !cursor.take("TABLE")) {
            return null;
        }
        if (cursor.take("IF") && !cursor.take("EXISTS")) {
            return null;
        }
        cursor.take("ONLY");
        return cursor;
    }

    private String word(int index) {
        if (index >= tokens.size() || tokens.get(index).kind() != Kind.WORD) {
            return "";
        }
        return tokens.get(index).text().toUpperCase(Locale.ROOT);
    }

    private static boolean isWord(Token token, String word) {
        return token.kind() == Kind.WORD && token.text().equalsIgnoreCase(word);
    }

    /** Reads tokens left to right. */
    private final class Cursor {
        private int position;

        Cursor(int position) {
            this.position = position;
        }

        String word() {
            return StatementShape.this.word(position);
        }

        void advance() {
            position++;
        }

        boolean take(String keyword) {
            if (word().equals(keyword)) {
                position++;
                return true;
            }
            return false;
        }

        boolean takePunctuation(String text) {
            if (position < tokens.size() && tokens.get(position).kind() == Kind.PUNCTUATION
                    && tokens.get(position).text().equals(text)) {
                position++;
                return true;
            }
            return false;
        }

        /** An identifier as PostgreSQL resolves it: unquoted words fold to lower case. */
        Optional<String> identifier() {
            if (position >= tokens.size()) {
                return Optional.empty();
            }
            Token token = tokens.get(position);
            String value = switch (token.kind()) {
                case WORD -> token.value();
                case QUOTED_IDENTIFIER -> token.value();
                default -> null;
            };
            if (value == null || value.isEmpty() || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    > Identifier.MAX_BYTES) {
                return Optional.empty();
            }
            position++;
            return Optional.of(value);
        }

        Optional<QualifiedName> name() {
            Optional<String> first = identifier();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            if (takePunctuation(".")) {
                return identifier().map(second -> new QualifiedName(first.get(), second));
            }
            return Optional.of(new QualifiedName(null, first.get()));
        }
    }
}
