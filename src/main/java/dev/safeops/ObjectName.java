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
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(SqlLexer.asciiLowerCase(String.valueOf(c)));
            }
        }
        parts.add(part.toString());
        if (quoted || parts.size() > 3 || parts.stream().anyMatch(String::isBlank)) {
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
