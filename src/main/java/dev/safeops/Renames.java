package dev.safeops;

import dev.safeops.StatementShape.Cursor;
import java.util.List;
import java.util.Optional;

/**
 * Renames earlier in a script, which move data under a name the catalog does not know yet:
 * {@code ALTER TABLE a RENAME TO b} then {@code DROP TABLE b}, or {@code RENAME COLUMN x TO y}
 * then {@code DROP COLUMN y}.
 */
final class Renames {

    private Renames() {
    }

    /** The rename, as written, that gave the destroyed object its name, if an earlier statement did. */
    static Optional<String> into(Destruction destruction, List<StatementShape> earlier) {
        if (!destruction.kind().equals("table")) {
            return Optional.empty();
        }
        for (StatementShape shape : earlier) {
            Cursor c = shape.cursor(0);
            Optional<QualifiedName> table = c.alteredTable();
            if (table.isEmpty() || !c.take("RENAME")) {
                continue;
            }
            if (c.take("TO")) {
                Optional<String> to = c.identifier();
                if (destruction.column() == null && to.isPresent() && to.get().equals(destruction.name().name())) {
                    return Optional.of(shape.summary());
                }
                continue;
            }
            c.take("COLUMN");
            Optional<String> from = c.identifier();
            Optional<String> to = from.isPresent() && c.take("TO") ? c.identifier() : Optional.empty();
            if (destruction.column() != null && to.isPresent() && to.get().equals(destruction.column())
                    && table.get().name().equals(destruction.name().name())) {
                return Optional.of(shape.summary());
            }
        }
        return Optional.empty();
    }
}
