package dev.safeops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.safeops.SqlLexer.Kind;
import dev.safeops.SqlLexer.Token;

/**
 * What safe-ops needs to know about a statement before or after running it, read from its tokens
 * (never from the raw text, which would match inside strings and comments): whether it returns rows,
 * whether it controls transactions, whether its effects survive a rollback, and a {@link Cursor} over
 * its tokens for the {@link SkipRule}. Made once per statement; the lexing is never repeated.
 */
final class StatementShape {

    /** Keywords after which a relation the statement reads or references follows. */
    private static final Set<String> REFERENCING = Set.of("FROM", "JOIN", "REFERENCES");
    /** Keywords that may stand where a relation name is expected but are not one. */
    private static final Set<String> NOT_A_NAME = Set.of("IF", "NOT", "EXISTS", "ONLY", "TABLE", "LATERAL", "SELECT",
            "CONCURRENTLY", "UNIQUE", "INDEX", "VIEW", "MATERIALIZED", "RECURSIVE", "SEQUENCE", "DELETE", "UPDATE",
            "INSERT", "TRUNCATE", "CASCADE", "RESTRICT", "VALUES", "FOR", "ALL", "SCHEMA", "FUNCTION", "TYPE", "DEFAULT");
    private static final Set<String> ROW_RETURNING = Set.of("SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN",
            "FETCH");
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT",
            "SAVEPOINT", "RELEASE");

    private final String sql;
    private final List<Token> tokens;
    /** Where {@code sql} starts in the text the tokens' offsets count from. */
    private final int offset;

    private StatementShape(String sql, List<Token> tokens, int offset) {
        this.sql = sql;
        this.tokens = tokens;
        this.offset = offset;
    }

    static StatementShape of(String sql) {
        return new StatementShape(sql, SqlLexer.tokens(sql), 0);
    }

    /**
     * For a statement already tokenized as part of a longer text, such as a script: {@code sql}
     * starts at its first token.
     */
    static StatementShape of(String sql, List<Token> tokens) {
        return new StatementShape(sql, List.copyOf(tokens), tokens.isEmpty() ? 0 : tokens.get(0).start());
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
     * Whether running the statement has effects a rollback does not undo, so that a dry run must not
     * send it and a savepoint group must never replay it: a call of a function PostgreSQL documents
     * as non-transactional (sequence functions, advisory locks, signalling or terminating backends,
     * replication slots and origins, configuration reloads, WAL switches, statistics resets, server
     * files, large objects, dblink), also inside a {@code DO} block, and {@code COPY} to a server
     * file or a program.
     */
    boolean survivesRollback() {
        if (callsNonTransactionalFunction(tokens)) {
            return true;
        }
        if (word(0).equals("DO")) {
            for (Token token : tokens) {
                if (token.kind() == Kind.DOLLAR_STRING || token.kind() == Kind.STRING) {
                    try {
                        if (callsNonTransactionalFunction(SqlLexer.tokens(token.value()))) {
                            return true;
                        }
                    } catch (InvalidScriptException e) {
                        return true; // a body safe-ops cannot read might do anything
                    }
                }
            }
        }
        return word(0).equals("COPY") && copiesToFileOrProgram();
    }

    /**
     * Whether the statement, though it names a function whose effects survive a rollback, only
     * stores the call as a column default: {@code CREATE TABLE … DEFAULT nextval(…)} or {@code ALTER
     * TABLE … SET DEFAULT nextval(…)} call nothing when they run (rows inserted later do). {@code ADD
     * COLUMN … DEFAULT nextval(…)} is not such a statement: it fills the existing rows.
     */
    boolean callsSurvivingRollbackOnlyAsDefaults() {
        boolean create = word(0).equals("CREATE");
        if (!create && !(word(0).equals("ALTER") && word(1).equals("TABLE"))) {
            return false;
        }
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if ((token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_IDENTIFIER)
                    && tokens.get(i + 1).isSymbol("(") && isNonTransactional(token.value())) {
                boolean stored = i >= 1 && tokens.get(i - 1).isWord("DEFAULT")
                        && (create ? !runsAQuery(tokens) : i >= 2 && tokens.get(i - 2).isWord("SET"));
                if (!stored) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A CREATE … AS (a query that runs now), which a CREATE TABLE with column defaults is not. */
    private static boolean runsAQuery(List<Token> tokens) {
        return tokens.stream().anyMatch(t -> t.isWord("AS") || t.isWord("SELECT") || t.isWord("EXECUTE"));
    }

    /** The functions whose effects survive a rollback; names ending in {@code *} are prefixes. */
    private static final List<String> NON_TRANSACTIONAL_FUNCTIONS = List.of("setval", "nextval",
            "pg_advisory_*", "pg_try_advisory_*", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
            "pg_rotate_logfile", "pg_switch_wal", "pg_switch_xlog", "pg_create_restore_point", "pg_promote",
            "pg_create_physical_replication_slot", "pg_create_logical_replication_slot", "pg_drop_replication_slot",
            "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot", "pg_replication_slot_advance",
            "pg_replication_origin_*", "pg_logical_emit_message", "pg_stat_reset*", "pg_backup_start",
            "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_wal_replay_pause", "pg_wal_replay_resume",
            "pg_log_backend_memory_contexts", "pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_file_sync",
            // Large objects and dblink by their exact names: a table called lo_items or dblink_targets is
            // not a call, and "CREATE TABLE lo_items (" must still run in a dry run.
            "lo_import", "lo_export", "lo_create", "lo_creat", "lo_unlink", "lo_open", "lo_close", "lo_write",
            "lo_put", "lo_from_bytea", "lo_truncate", "lo_truncate64", "lowrite",
            "dblink", "dblink_exec", "dblink_connect", "dblink_connect_u", "dblink_disconnect", "dblink_open",
            "dblink_fetch", "dblink_close", "dblink_send_query", "dblink_get_result", "dblink_cancel_query");

    private static boolean callsNonTransactionalFunction(List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if ((token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_IDENTIFIER)
                    && tokens.get(i + 1).isSymbol("(") && isNonTransactional(token.value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNonTransactional(String function) {
        for (String name : NON_TRANSACTIONAL_FUNCTIONS) {
            boolean matches = name.endsWith("*") ? function.startsWith(name.substring(0, name.length() - 1))
                    : function.equals(name);
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** COPY … TO 'file' | PROGRAM …, or COPY … FROM PROGRAM …: files and programs outside the transaction. */
    private boolean copiesToFileOrProgram() {
        Cursor cursor = new Cursor(1);
        if (cursor.skipPast("TO")) {
            return cursor.word().equals("PROGRAM") || cursor.string().isPresent();
        }
        cursor = new Cursor(1);
        return cursor.skipPast("FROM") && cursor.word().equals("PROGRAM");
    }

    /** {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS …}, which keeps any index of that name. */
    boolean createsIndexIfNotExists() {
        Cursor cursor = new Cursor(0);
        if (!cursor.take("CREATE")) {
            return false;
        }
        cursor.take("UNIQUE");
        if (!cursor.take("INDEX")) {
            return false;
        }
        cursor.take("CONCURRENTLY");
        return cursor.take("IF", "NOT", "EXISTS");
    }

    /** Whether a {@code ;} outside quotes and comments has anything after it: text for more than one statement. */
    boolean continuesAfterSemicolon() {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(";")) {
                return true;
            }
        }
        return false;
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

    /** Relations the statement reads or references (after FROM, JOIN, REFERENCES), as written. */
    List<QualifiedName> referencedRelations() {
        List<QualifiedName> names = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!REFERENCING.contains(word(i))) {
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

    /**
     * The keyword at {@code index} in upper case, or "" for anything but an unquoted word. Only
     * ASCII letters are folded, as PostgreSQL folds keywords: {@code ſet} or {@code dıstinct} are
     * identifiers, never the keywords SET or DISTINCT.
     */
    String word(int index) {
        if (index >= tokens.size() || tokens.get(index).kind() != Kind.WORD) {
            return "";
        }
        return asciiUpperCase(tokens.get(index).value());
    }

    static String asciiUpperCase(String folded) {
        StringBuilder upper = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            upper.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        }
        return upper.toString();
    }

    private static boolean isWord(Token token, String word) {
        return token.isWord(word);
    }

    private static int depthChange(Token token) {
        return token.isSymbol("(") || token.isSymbol("[") ? 1 : token.isSymbol(")") || token.isSymbol("]") ? -1 : 0;
    }

    List<Token> tokens() {
        return tokens;
    }

    String sql() {
        return sql;
    }

    /** The source text of the tokens from {@code from} up to (not including) {@code to}. */
    String text(int from, int to) {
        if (from >= to) {
            return "";
        }
        return sql.substring(tokens.get(from).start() - offset, tokens.get(to - 1).end() - offset);
    }

    Cursor cursor(int position) {
        return new Cursor(position);
    }

    /** Reads tokens left to right. */
    final class Cursor {
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

        int position() {
            return position;
        }

        boolean atEnd() {
            return position >= tokens.size();
        }

        /** The token under the cursor; only when not {@link #atEnd()}. */
        Token token() {
            return tokens.get(position);
        }

        StatementShape shape() {
            return StatementShape.this;
        }

        /** Takes the words in order, or nothing when they do not all follow. */
        boolean take(String... keywords) {
            for (int i = 0; i < keywords.length; i++) {
                if (!StatementShape.this.word(position + i).equals(keywords[i])) {
                    return false;
                }
            }
            position += keywords.length;
            return true;
        }

        /**
         * Takes {@code ALTER TABLE [IF EXISTS] [ONLY] name} and returns the table; empty (the cursor
         * moved anywhere) for any other statement.
         */
        Optional<QualifiedName> alteredTable() {
            if (!take("ALTER", "TABLE")) {
                return Optional.empty();
            }
            take("IF", "EXISTS");
            take("ONLY");
            return name();
        }

        /** Moves past the first top-level occurrence of the keyword; false (not moved) when there is none. */
        boolean skipPast(String keyword) {
            int depth = 0;
            for (int i = position; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (depth == 0 && isWord(token, keyword)) {
                    position = i + 1;
                    return true;
                }
                depth += depthChange(token);
            }
            return false;
        }

        /**
         * The rest of the statement cut at top-level commas, each piece as its source text and a
         * cursor on its first token.
         */
        List<Cursor> commaSeparated() {
            List<Cursor> pieces = new ArrayList<>();
            int depth = 0;
            pieces.add(new Cursor(position));
            for (int i = position; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (depth == 0 && token.isSymbol(",")) {
                    pieces.add(new Cursor(i + 1));
                }
                depth += depthChange(token);
            }
            return pieces;
        }

        /** The index of the next top-level comma from this cursor on, or the end of the statement. */
        int commaOrEnd() {
            int depth = 0;
            for (int i = position; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (depth == 0 && token.isSymbol(",")) {
                    return i;
                }
                depth += depthChange(token);
            }
            return tokens.size();
        }

        /** Source text from this cursor up to (not including) the next top-level comma, or the end. */
        String textToComma() {
            int end = commaOrEnd();
            if (position >= end) {
                return "";
            }
            return sql.substring(tokens.get(position).start() - offset, tokens.get(end - 1).end() - offset);
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

        /** A string constant's value. */
        Optional<String> string() {
            if (position < tokens.size() && tokens.get(position).kind() == Kind.STRING) {
                return Optional.of(tokens.get(position++).value());
            }
            return Optional.empty();
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
