package dev.safeops;

import dev.safeops.SqlLexer.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One statement of a {@link Script}. Immutable; its tokens are read once, when it is made, and what
 * they say about the statement travels with it.
 *
 * @param index 0-based position of the statement within its script (empty statements such as the
 *     second {@code ;} of {@code ;;} do not count)
 * @param sql the statement exactly as written, from its first token to its last: comments and
 *     whitespace before it and the terminating {@code ;} are not included, comments inside it are
 *     kept verbatim
 * @param location the script and the line of the statement's first token
 */
public final class ScriptStatement {

    private static final Set<String> FALSE_OPTION_VALUES = Set.of("false", "off", "0");

    private final int index;
    private final String sql;
    private final Location location;
    private final StatementShape shape;

    /**
     * @throws IllegalArgumentException if {@code index} is negative or {@code sql} is blank
     * @throws NullPointerException if {@code sql} or {@code location} is {@code null}
     * @throws InvalidScriptException if {@code sql} cannot be tokenized
     */
    public ScriptStatement(int index, String sql, Location location) {
        this(index, sql, location, null);
    }

    /** With the tokens the script reader found, so that they are not read again. */
    ScriptStatement(int index, String sql, Location location, List<Token> tokens) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        if (Objects.requireNonNull(sql, "sql").isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        this.index = index;
        this.sql = sql;
        this.location = Objects.requireNonNull(location, "location");
        this.shape = tokens == null ? StatementShape.of(sql) : StatementShape.of(sql, tokens);
    }

    /** The 0-based position within its script. */
    public int index() {
        return index;
    }

    /** The statement exactly as written. */
    public String sql() {
        return sql;
    }

    /** The script and the line of the statement's first token. */
    public Location location() {
        return location;
    }

    StatementShape shape() {
        return shape;
    }

    /**
     * Whether running the statement has effects that a rollback does not undo, such as {@code
     * setval}, {@code nextval}, advisory locks or {@code COPY … TO} a server file: a dry run does not
     * send such a statement, and it never shares a savepoint with others.
     */
    public boolean survivesRollback() {
        return shape.survivesRollback();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScriptStatement other && index == other.index && sql.equals(other.sql)
                && location.equals(other.location);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, sql, location);
    }

    @Override
    public String toString() {
        return "ScriptStatement[index=" + index + ", sql=" + sql + ", location=" + location + "]";
    }

    /**
     * Whether the statement begins, ends or rolls back a transaction or savepoint ({@code BEGIN},
     * {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT}, …), which safe-ops refuses to run because
     * it works inside the caller's transaction.
     */
    public boolean transactionControl() {
        return shape.transactionControl();
    }

    /**
     * Whether PostgreSQL refuses to run this statement inside a transaction block ("… cannot run
     * inside a transaction block"), so it cannot be guarded by a savepoint and must run on its own.
     *
     * <p>True for {@code CREATE [UNIQUE] INDEX CONCURRENTLY}, {@code DROP INDEX CONCURRENTLY},
     * {@code REINDEX … CONCURRENTLY} (also as the option {@code REINDEX (CONCURRENTLY) …}),
     * {@code REINDEX SCHEMA|DATABASE|SYSTEM}, {@code VACUUM}, {@code CREATE|DROP DATABASE},
     * {@code ALTER DATABASE … SET TABLESPACE}, {@code CREATE|DROP TABLESPACE}, {@code ALTER
     * SYSTEM}, {@code CREATE SUBSCRIPTION} unless it creates no replication slot ({@code create_slot
     * = false} or {@code connect = false}), {@code DROP SUBSCRIPTION} (it is refused only when the
     * subscription has a slot, which the text cannot tell, so it is assumed), {@code ALTER
     * SUBSCRIPTION … REFRESH PUBLICATION}, {@code ALTER SUBSCRIPTION … SET|ADD|DROP PUBLICATION}
     * unless {@code refresh = false}, {@code ALTER SUBSCRIPTION … SET (failover = …)} and {@code SET
     * (two_phase = false)}, {@code ALTER TABLE … DETACH PARTITION … CONCURRENTLY}, {@code CLUSTER}
     * without a table, {@code DISCARD ALL}, {@code COMMIT PREPARED} and {@code ROLLBACK PREPARED}.
     *
     * <p>Decided from the statement's tokens, never its raw text, so a word inside a string,
     * comment or quoted identifier ({@code CREATE INDEX "concurrently" …}) or merely containing a
     * keyword ({@code concurrently_idx}) does not count. Not detectable from the text and so
     * reported false: {@code REINDEX TABLE|INDEX} and {@code CLUSTER} of a partitioned table.
     *
     */
    public boolean forbiddenInTransaction() {
        return shape.forbiddenInTransaction();
    }

    /** {@link #forbiddenInTransaction()} for the tokens of one statement. */
    static boolean forbiddenInTransaction(List<Token> statement) {
        if (statement.isEmpty()) {
            return false;
        }
        Token first = statement.get(0);
        if (first.isWord("VACUUM")) {
            return true;
        }
        if (first.isWord("CREATE")) {
            int index = isWord(statement, 1, "UNIQUE") ? 2 : 1;
            return (isWord(statement, index, "INDEX") && isWord(statement, index + 1, "CONCURRENTLY"))
                    || isWord(statement, 1, "DATABASE")
                    || isWord(statement, 1, "TABLESPACE")
                    || (isWord(statement, 1, "SUBSCRIPTION") && createsReplicationSlot(statement));
        }
        if (first.isWord("DROP")) {
            return (isWord(statement, 1, "INDEX") && isWord(statement, 2, "CONCURRENTLY"))
                    || isWord(statement, 1, "DATABASE")
                    || isWord(statement, 1, "TABLESPACE")
                    || isWord(statement, 1, "SUBSCRIPTION");
        }
        if (first.isWord("ALTER")) {
            return isWord(statement, 1, "SYSTEM")
                    || (isWord(statement, 1, "DATABASE") && movesDatabase(statement))
                    || (isWord(statement, 1, "SUBSCRIPTION") && subscriptionChangeIsNotTransactional(statement))
                    || (isWord(statement, 1, "TABLE") && detachesConcurrently(statement));
        }
        if (first.isWord("REINDEX")) {
            return reindexForbidden(statement);
        }
        if (first.isWord("CLUSTER")) {
            int index = 1;
            if (isSymbol(statement, index, "(")) {
                index = closingParenthesis(statement, index) + 1;
            }
            if (isWord(statement, index, "VERBOSE")) {
                index++;
            }
            return index >= statement.size();
        }
        if (first.isWord("DISCARD")) {
            return isWord(statement, 1, "ALL");
        }
        if (first.isWord("COMMIT") || first.isWord("ROLLBACK")) {
            return isWord(statement, 1, "PREPARED");
        }
        return false;
    }

    /**
     * Whether the tokens are {@code COPY … FROM STDIN}, which makes psql send the lines that follow
     * in the script as the table's data.
     */
    static boolean copiesFromStdin(List<Token> statement) {
        if (!isWord(statement, 0, "COPY")) {
            return false;
        }
        int from = topLevelWord(statement, 1, "FROM");
        // COPY (query) can only go TO, so a FROM STDIN inside parentheses is a query over a table
        return from >= 0 && isWord(statement, from + 1, "STDIN");
    }

    /**
     * Whether the tokens are {@code SET [SESSION|LOCAL] standard_conforming_strings} to a value
     * PostgreSQL reads as false, after which backslashes in plain {@code '…'} literals escape quotes.
     */
    static boolean turnsOffStandardConformingStrings(List<Token> statement) {
        if (!isWord(statement, 0, "SET")) {
            return false;
        }
        int name = isWord(statement, 1, "SESSION") || isWord(statement, 1, "LOCAL") ? 2 : 1;
        int value = name + 2;
        return isWord(statement, name, "standard_conforming_strings")
                && (isSymbol(statement, name + 1, "=") || isWord(statement, name + 1, "TO"))
                && value < statement.size()
                && parsesAsFalse(statement.get(value));
    }

    /** parse_bool() accepts any unambiguous prefix of true, false, yes, no, and on, off, 1, 0. */
    private static boolean parsesAsFalse(Token value) {
        if (value.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER) {
            return false;
        }
        String v = SqlLexer.asciiLowerCase(value.value().strip());
        return !v.isEmpty()
                && ("false".startsWith(v) || "no".startsWith(v) || (v.length() >= 2 && "off".startsWith(v))
                        || v.equals("0"));
    }

    /** CREATE SUBSCRIPTION creates a slot unless create_slot = false; connect = false implies that. */
    private static boolean createsReplicationSlot(List<Token> statement) {
        Map<String, Token> options = withOptions(statement);
        if (options.containsKey("create_slot")) {
            return isTrue(options.get("create_slot"));
        }
        return !options.containsKey("connect") || isTrue(options.get("connect"));
    }

    private static boolean subscriptionChangeIsNotTransactional(List<Token> statement) {
        // ALTER SUBSCRIPTION name <action> …
        int action = 3;
        if (isWord(statement, action, "REFRESH")) {
            return true;
        }
        boolean publicationChange = isWord(statement, action, "SET") || isWord(statement, action, "ADD")
                || isWord(statement, action, "DROP");
        if (publicationChange && isWord(statement, action + 1, "PUBLICATION")) {
            Map<String, Token> options = withOptions(statement);
            return !options.containsKey("refresh") || isTrue(options.get("refresh"));
        }
        if (isWord(statement, action, "SET") && isSymbol(statement, action + 1, "(")) {
            // both change the replication slot on the publisher, which cannot be rolled back
            Map<String, Token> options = options(statement, action + 1);
            return options.containsKey("failover")
                    || (options.containsKey("two_phase") && !isTrue(options.get("two_phase")));
        }
        return false;
    }

    /** ALTER DATABASE name SET TABLESPACE t, or the option form ALTER DATABASE name [WITH] TABLESPACE t. */
    private static boolean movesDatabase(List<Token> statement) {
        int action = 3;
        if (isWord(statement, action, "SET")) {
            return isWord(statement, action + 1, "TABLESPACE");
        }
        if (isWord(statement, action, "RESET") || isWord(statement, action, "RENAME")
                || isWord(statement, action, "OWNER") || isWord(statement, action, "REFRESH")) {
            return false;
        }
        return topLevelWord(statement, action, "TABLESPACE") >= 0;
    }

    private static boolean detachesConcurrently(List<Token> statement) {
        int detach = topLevelWord(statement, 2, "DETACH");
        while (detach >= 0) {
            if (isWord(statement, detach + 1, "PARTITION")) {
                // CONCURRENTLY cannot name a partition unquoted, so any one before the next command counts
                for (int i = detach + 2; i < statement.size() && !statement.get(i).isSymbol(","); i++) {
                    if (statement.get(i).isWord("CONCURRENTLY")) {
                        return true;
                    }
                }
            }
            detach = topLevelWord(statement, detach + 1, "DETACH");
        }
        return false;
    }

    /** REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name. */
    private static boolean reindexForbidden(List<Token> statement) {
        int index = 1;
        boolean concurrentOption = false;
        if (isSymbol(statement, index, "(")) {
            Map<String, Token> options = options(statement, index);
            concurrentOption = options.containsKey("concurrently") && isTrue(options.get("concurrently"));
            index = closingParenthesis(statement, index) + 1;
        }
        return concurrentOption
                || isWord(statement, index, "SCHEMA")
                || isWord(statement, index, "DATABASE")
                || isWord(statement, index, "SYSTEM")
                || isWord(statement, index + 1, "CONCURRENTLY");
    }

    /** The options of the first top-level {@code WITH (…)}, or none. */
    private static Map<String, Token> withOptions(List<Token> statement) {
        int with = topLevelWord(statement, 0, "WITH");
        return with >= 0 && isSymbol(statement, with + 1, "(") ? options(statement, with + 1) : Map.of();
    }

    /**
     * Reads {@code (name [=] [value], …)} starting at the {@code (} at {@code open}: option names
     * as PostgreSQL folds them, each mapped to the first token of its value, or to {@code null}
     * when it has none (which for a boolean option means true).
     */
    private static Map<String, Token> options(List<Token> statement, int open) {
        Map<String, Token> options = new HashMap<>();
        int close = closingParenthesis(statement, open);
        int i = open + 1;
        while (i < close) {
            String name = statement.get(i).value();
            i++;
            if (isSymbol(statement, i, "=")) {
                i++;
            }
            Token value = i < close && !isSymbol(statement, i, ",") ? statement.get(i) : null;
            options.put(name, value);
            int depth = 0;
            while (i < close && !(depth == 0 && isSymbol(statement, i, ","))) {
                depth += depthChange(statement.get(i));
                i++;
            }
            i++;
        }
        return options;
    }

    /** Like PostgreSQL's defGetBoolean: no value, or any value but false, off and 0, is true. */
    private static boolean isTrue(Token value) {
        return value == null || !FALSE_OPTION_VALUES.contains(SqlLexer.asciiLowerCase(value.value()));
    }

    /** Index of the {@code )} matching the {@code (} at {@code open}, or the size if it is missing. */
    private static int closingParenthesis(List<Token> statement, int open) {
        int depth = 0;
        for (int i = open; i < statement.size(); i++) {
            depth += depthChange(statement.get(i));
            if (depth == 0) {
                return i;
            }
        }
        return statement.size();
    }

    /** Index of the first {@code word} at or after {@code from} outside parentheses, or -1. */
    private static int topLevelWord(List<Token> statement, int from, String word) {
        int depth = 0;
        for (int i = 0; i < statement.size(); i++) {
            Token token = statement.get(i);
            if (i >= from && depth == 0 && token.isWord(word)) {
                return i;
            }
            depth += depthChange(token);
        }
        return -1;
    }

    private static int depthChange(Token token) {
        return token.isSymbol("(") ? 1 : token.isSymbol(")") ? -1 : 0;
    }

    private static boolean isWord(List<Token> statement, int index, String word) {
        return index < statement.size() && statement.get(index).isWord(word);
    }

    private static boolean isSymbol(List<Token> statement, int index, String symbol) {
        return index < statement.size() && statement.get(index).isSymbol(symbol);
    }
}
