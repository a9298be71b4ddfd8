package dev.safeops;

import java.util.ArrayList;
import java.util.List;

/**
 * A relation or type name with an optional schema, as the caller wrote it.
 *
 * <p>The text form is {@code name} or {@code schema.name}; either part may be double-quoted to
 * contain dots or quotes ({@code "my.schema"."odd ""name"""}). Unquoted parts are taken literally,
 * not folded to lower case: every identifier safe-ops sends is quoted.
 */
record QualifiedName(String schema, String name) {

    QualifiedName {
        if (schema != null) {
            Identifier.checked(schema, "schema name");
        }
        Identifier.checked(name, "name");
    }

    static QualifiedName parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be null or blank");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
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
            } else if (c == '"' && part.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new IllegalArgumentException(what + " \"" + text + "\" has text after a closing quote");
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(what + " \"" + text + "\" has an unterminated quote");
        }
        parts.add(part.toString());
        if (parts.size() > 2) {
            throw new IllegalArgumentException(what + " \"" + text
                    + "\" has more than one dot; quote a part that contains dots, e.g. \"my.table\"");
        }
        return parts.size() == 1
                ? new QualifiedName(null, checkedPart(parts.get(0), text, what))
                : new QualifiedName(checkedPart(parts.get(0), text, what), checkedPart(parts.get(1), text, what));
    }

    private static String checkedPart(String part, String text, String what) {
        if (part.isBlank()) {
            throw new IllegalArgumentException(what + " \"" + text + "\" has an empty part");
        }
        return part;
    }

    /** The quoted SQL form. */
    String sql() {
        return schema == null
                ? Identifier.quote(name, "name")
                : Identifier.quote(schema, "schema name") + "." + Identifier.quote(name, "name");
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
