package dev.safeops;

import java.util.ArrayList;
import java.util.List;

/**
 * A name of one to three parts written as SQL ({@code orders.legacy_note}, {@code "Odd".t}), as
 * the caller names an object whose data it accepts to lose: unquoted parts fold to lower case, as
 * PostgreSQL folds identifiers; a part in double quotes is kept as written.
 */
record ObjectName(List<String> parts) {

    ObjectName {
        parts = List.copyOf(parts);
    }

    static ObjectName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an object whose data loss is accepted must be named, was blank");
        }
        List<String> parts = new ArrayList<>();
        boolean valid;
        try {
            List<SqlLexer.Token> tokens = SqlLexer.tokens(text);
            valid = tokens.size() % 2 == 1;
            for (int i = 0; valid && i < tokens.size(); i++) {
                SqlLexer.Token token = tokens.get(i);
                valid = i % 2 == 1 ? token.isSymbol(".") : token.kind() == SqlLexer.Kind.WORD
                        || (token.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER && !token.value().isEmpty());
                if (valid && i % 2 == 0) {
                    parts.add(token.value());
                }
            }
        } catch (InvalidScriptException unreadable) {
            valid = false;
        }
        if (!valid || parts.size() > 3) {
            throw new IllegalArgumentException("\"" + text + "\" is not an object name such as table, schema.table, "
                    + "table.column or schema.table.column");
        }
        return new ObjectName(parts);
    }

    /** Whether this name, as the caller wrote it, names one of these spellings of an object. */
    boolean namesAnyOf(List<List<String>> spellings) {
        return spellings.contains(parts);
    }

    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
