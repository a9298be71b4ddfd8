package dev.safeops;

import dev.safeops.CatalogCheck.Member;
import dev.safeops.StatementShape.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule table: for a failed statement and the class of its error, which object the statement
 * acts on (its target, read from its tokens) and what the catalog must confirm about it for the
 * failure to be a skip. README's "What is tolerated" section is this table in words.
 *
 * <p>A missing object is tolerated only when the target itself is confirmed absent (for statements
 * that act on a relation, such as {@code ALTER TABLE}, {@code CREATE INDEX … ON}, {@code COMMENT ON},
 * {@code GRANT … ON}, the relation); an existing object only when the object being created is
 * confirmed present (an index also valid). An error about anything a statement merely mentions is
 * a mistake. With optional tables in the policy, a missing object is tolerated only when the absent
 * target (or an absent table the statement references) matches them.
 */
final class SkipRule {

    private static final String TABLE_KINDS = "'r', 'p'";

    private final StatementShape shape;
    private final Policy policy;

    private SkipRule(StatementShape shape, Policy policy) {
        this.shape = shape;
        this.policy = policy;
    }

    static Confirmation confirmation(StatementShape shape, ErrorClass errorClass, String sqlState, Policy policy) {
        SkipRule rule = new SkipRule(shape, policy);
        Confirmation own = errorClass == ErrorClass.MISSING ? rule.missing() : rule.existing();
        if (errorClass == ErrorClass.MISSING && "42P01".equals(sqlState) && policy.restrictsMissingObjects()) {
            return rule.withAbsentOptionalReference(own);
        }
        return own;
    }

    // ---- missing objects: the target must be absent ----

    private Confirmation missing() {
        Cursor c = shape.cursor(0);
        if (c.take("ALTER", "TABLE") || c.take("ALTER", "FOREIGN", "TABLE")) {
            return alterTable(c, true);
        }
        if (c.take("ALTER", "INDEX") || c.take("ALTER", "VIEW") || c.take("ALTER", "MATERIALIZED", "VIEW")
                || c.take("ALTER", "SEQUENCE")) {
            c.take("IF", "EXISTS");
            return relationsAbsent(c.name().map(List::of).orElse(List.of()));
        }
        if (c.take("ALTER", "TYPE") || c.take("ALTER", "DOMAIN")) {
            return typeAbsent(c.name());
        }
        if (c.take("ALTER", "SCHEMA")) {
            return onlyWhenUnrestricted(c.identifier().map(s -> List.of(CatalogCheck.schemaAbsent(s))));
        }
        if (c.take("ALTER", "FUNCTION") || c.take("ALTER", "PROCEDURE") || c.take("ALTER", "AGGREGATE")
                || c.take("ALTER", "ROUTINE")) {
            return onlyWhenUnrestricted(c.name().map(f -> List.of(CatalogCheck.routineAbsent(f))));
        }
        if (c.take("DROP")) {
            return drop(c);
        }
        if (c.take("INSERT", "INTO") || c.take("DELETE", "FROM") || c.take("UPDATE") || c.take("COPY")) {
            c.take("ONLY");
            return relationsAbsent(c.name().map(List::of).orElse(List.of()));
        }
        if (c.take("TRUNCATE")) {
            c.take("TABLE");
            return relationsAbsent(names(c));
        }
        if (c.take("CREATE")) {
            return createOn(c);
        }
        if (c.take("COMMENT", "ON")) {
            return comment(c);
        }
        if (c.take("GRANT") || c.take("REVOKE")) {
            return grant(c);
        }
        return Confirmation.none("a missing object is tolerated only for a statement that acts on an object "
                + "safe-ops can name (ALTER, DROP, INSERT, UPDATE, DELETE, TRUNCATE, COPY, CREATE INDEX|TRIGGER|"
                + "POLICY|RULE … ON, COMMENT ON, GRANT/REVOKE … ON), and only when that object is absent");
    }

    /** CREATE INDEX|TRIGGER|POLICY|RULE acts on an existing relation; any other CREATE makes its target. */
    private Confirmation createOn(Cursor c) {
        c.take("OR", "REPLACE");
        c.take("UNIQUE");
        c.take("CONSTRAINT");
        if (c.take("INDEX") || c.take("TRIGGER") || c.take("POLICY")) {
            if (!c.skipPast("ON")) {
                return unknownTarget();
            }
            c.take("ONLY");
            return relationsAbsent(c.name().map(List::of).orElse(List.of()));
        }
        if (c.take("RULE")) {
            return c.skipPast("TO") ? relationsAbsent(c.name().map(List::of).orElse(List.of())) : unknownTarget();
        }
        return Confirmation.none("the statement creates its object, which is absent by definition: a missing "
                + "object it names (a type, a function, a table it reads, a schema) is a mistake, not drift");
    }

    private Confirmation drop(Cursor c) {
        if (c.take("TABLE") || c.take("VIEW") || c.take("MATERIALIZED", "VIEW") || c.take("SEQUENCE")
                || c.take("INDEX") || c.take("FOREIGN", "TABLE")) {
            c.take("CONCURRENTLY");
            c.take("IF", "EXISTS");
            return relationsAbsent(names(c));
        }
        if (c.take("TYPE") || c.take("DOMAIN")) {
            c.take("IF", "EXISTS");
            List<Fact> facts = new ArrayList<>();
            names(c).forEach(t -> facts.add(CatalogCheck.typeAbsent(t)));
            return onlyWhenUnrestricted(facts.isEmpty() ? Optional.empty() : Optional.of(facts));
        }
        if (c.take("SCHEMA")) {
            c.take("IF", "EXISTS");
            return onlyWhenUnrestricted(c.identifier().map(s -> List.of(CatalogCheck.schemaAbsent(s))));
        }
        if (c.take("FUNCTION") || c.take("PROCEDURE") || c.take("AGGREGATE") || c.take("ROUTINE")) {
            c.take("IF", "EXISTS");
            return onlyWhenUnrestricted(c.name().map(f -> List.of(CatalogCheck.routineAbsent(f))));
        }
        Member member = c.take("TRIGGER") ? Member.TRIGGER : c.take("POLICY") ? Member.POLICY
                : c.take("RULE") ? Member.RULE : null;
        if (member != null) {
            c.take("IF", "EXISTS");
            Optional<String> name = c.identifier();
            Optional<QualifiedName> table = c.take("ON") ? c.name() : Optional.empty();
            if (name.isEmpty() || table.isEmpty()) {
                return unknownTarget();
            }
            return alternatives(List.of(tableAbsent(table.get())),
                    List.of(CatalogCheck.memberAbsent(member, table.get(), name.get())));
        }
        return unknownTarget();
    }

    private Confirmation comment(Cursor c) {
        if (c.take("COLUMN")) {
            // [schema.]table.column: the relation is everything before the last part
            List<String> parts = new ArrayList<>();
            do {
                Optional<String> part = c.identifier();
                if (part.isEmpty()) {
                    return unknownTarget();
                }
                parts.add(part.get());
            } while (c.takePunctuation("."));
            if (parts.size() < 2 || parts.size() > 3) {
                return unknownTarget();
            }
            QualifiedName table = parts.size() == 2 ? new QualifiedName(null, parts.get(0))
                    : new QualifiedName(parts.get(0), parts.get(1));
            return relationsAbsent(List.of(table));
        }
        if (c.take("TABLE") || c.take("VIEW") || c.take("MATERIALIZED", "VIEW") || c.take("SEQUENCE")
                || c.take("INDEX") || c.take("FOREIGN", "TABLE")) {
            return relationsAbsent(c.name().map(List::of).orElse(List.of()));
        }
        if (c.take("CONSTRAINT") || c.take("TRIGGER") || c.take("POLICY") || c.take("RULE")) {
            c.identifier();
            return c.take("ON") ? relationsAbsent(c.name().map(List::of).orElse(List.of())) : unknownTarget();
        }
        if (c.take("TYPE") || c.take("DOMAIN")) {
            return typeAbsent(c.name());
        }
        if (c.take("SCHEMA")) {
            return onlyWhenUnrestricted(c.identifier().map(s -> List.of(CatalogCheck.schemaAbsent(s))));
        }
        if (c.take("FUNCTION") || c.take("PROCEDURE") || c.take("AGGREGATE") || c.take("ROUTINE")) {
            return onlyWhenUnrestricted(c.name().map(f -> List.of(CatalogCheck.routineAbsent(f))));
        }
        return unknownTarget();
    }

    private Confirmation grant(Cursor c) {
        if (!c.skipPast("ON")) {
            return unknownTarget(); // GRANT role TO role: roles are not drift
        }
        if (c.take("SCHEMA")) {
            return onlyWhenUnrestricted(c.identifier().map(s -> List.of(CatalogCheck.schemaAbsent(s))));
        }
        if (c.take("ALL")) {
            return unknownTarget();
        }
        if (!c.take("TABLE")) {
            c.take("SEQUENCE");
        }
        if (!c.word().isEmpty() && !c.word().equals("ONLY") && isObjectKeyword(c.word())) {
            return unknownTarget();
        }
        return relationsAbsent(names(c));
    }

    private static boolean isObjectKeyword(String word) {
        return List.of("FUNCTION", "PROCEDURE", "ROUTINE", "TYPE", "DOMAIN", "DATABASE", "LANGUAGE", "FOREIGN",
                "LARGE", "TABLESPACE", "PARAMETER").contains(word);
    }

    private Confirmation typeAbsent(Optional<QualifiedName> type) {
        return onlyWhenUnrestricted(type.map(t -> List.of(CatalogCheck.typeAbsent(t))));
    }

    // ---- existing objects: the object being created must be there ----

    private Confirmation existing() {
        Cursor c = shape.cursor(0);
        if (c.take("ALTER", "TABLE") || c.take("ALTER", "FOREIGN", "TABLE")) {
            return alterTable(c, false);
        }
        if (c.take("ALTER", "TYPE")) {
            Optional<QualifiedName> type = c.name();
            if (type.isPresent() && c.take("ADD", "VALUE")) {
                c.take("IF", "NOT", "EXISTS");
                Optional<String> label = c.string();
                if (label.isPresent()) {
                    return Confirmation.of(List.of(CatalogCheck.enumLabelPresent(type.get(), label.get())));
                }
            }
            return unknownTarget();
        }
        if (!c.take("CREATE")) {
            return unknownTarget();
        }
        if (c.take("OR", "REPLACE")) {
            // Replacing what is there is the statement's purpose: an "already there" error (42P16 for a
            // view losing or retyping columns, 42809 for a procedure over a function) means the new
            // definition is incompatible with the old one, a mistake that must not pass as drift.
            return Confirmation.none("CREATE OR REPLACE replaces an existing object, so an error about one already "
                    + "there means the replacement is incompatible with it, not that the database drifted");
        }
        if (c.take("TEMP") || c.take("TEMPORARY") || c.take("UNLOGGED") || c.take("GLOBAL") || c.take("LOCAL")) {
            c.take("TEMP");
            c.take("TEMPORARY");
        }
        c.take("RECURSIVE");
        if (c.take("TABLE")) {
            return created(c, "table", TABLE_KINDS);
        }
        if (c.take("FOREIGN", "TABLE")) {
            return created(c, "foreign table", "'f'");
        }
        if (c.take("VIEW")) {
            return created(c, "view", "'v'");
        }
        if (c.take("MATERIALIZED", "VIEW")) {
            return created(c, "materialized view", "'m'");
        }
        if (c.take("SEQUENCE")) {
            return created(c, "sequence", "'S'");
        }
        boolean unique = c.take("UNIQUE");
        if (c.take("INDEX")) {
            return index(c);
        }
        if (unique) {
            return unknownTarget();
        }
        if (c.take("TYPE") || c.take("DOMAIN")) {
            return c.name().map(t -> Confirmation.of(List.of(CatalogCheck.typePresent(t)))).orElseGet(this::unknownTarget);
        }
        if (c.take("FUNCTION") || c.take("PROCEDURE") || c.take("AGGREGATE")) {
            return c.name().map(f -> Confirmation.of(List.of(CatalogCheck.routinePresent(f))))
                    .orElseGet(this::unknownTarget);
        }
        if (c.take("SCHEMA")) {
            c.take("IF", "NOT", "EXISTS");
            c.take("AUTHORIZATION");
            return c.identifier().map(s -> Confirmation.of(List.of(CatalogCheck.schemaPresent(s))))
                    .orElseGet(this::unknownTarget);
        }
        c.take("CONSTRAINT");
        Member member = c.take("TRIGGER") ? Member.TRIGGER : c.take("POLICY") ? Member.POLICY
                : c.take("RULE") ? Member.RULE : null;
        if (member != null) {
            Optional<String> name = c.identifier();
            boolean on = member == Member.RULE ? c.skipPast("TO") : c.skipPast("ON");
            Optional<QualifiedName> table = on ? c.name() : Optional.empty();
            return name.isPresent() && table.isPresent()
                    ? Confirmation.of(List.of(CatalogCheck.memberPresent(member, table.get(), name.get())))
                    : unknownTarget();
        }
        if (c.take("STATISTICS")) {
            c.take("IF", "NOT", "EXISTS");
            return c.name().map(n -> Confirmation.of(List.of(CatalogCheck.statisticsPresent(n))))
                    .orElseGet(this::unknownTarget);
        }
        if (c.take("EXTENSION")) {
            c.take("IF", "NOT", "EXISTS");
            return global(c, "extension", "pg_extension", "extname");
        }
        if (c.take("ROLE") || c.take("USER") || c.take("GROUP")) {
            return global(c, "role", "pg_roles", "rolname");
        }
        if (c.take("PUBLICATION")) {
            return global(c, "publication", "pg_publication", "pubname");
        }
        return unknownTarget();
    }

    private Confirmation global(Cursor c, String what, String catalog, String column) {
        return c.identifier().map(n -> Confirmation.of(List.of(CatalogCheck.globalPresent(what, catalog, column, n))))
                .orElseGet(this::unknownTarget);
    }

    private Confirmation created(Cursor c, String what, String relkinds) {
        c.take("IF", "NOT", "EXISTS");
        return c.name().map(n -> Confirmation.of(List.of(CatalogCheck.relationPresent(n, what, relkinds))))
                .orElseGet(this::unknownTarget);
    }

    /** CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table: valid, on that table. */
    private Confirmation index(Cursor c) {
        Optional<IndexTarget> index = indexTarget(c);
        if (index.isEmpty()) {
            return Confirmation.none("the index has no name, so it cannot be looked up");
        }
        QualifiedName table = index.get().table();
        String name = index.get().name();
        return Confirmation.of(List.of(CatalogCheck.indexValid(table, name)))
                .withInvalidIndex(CatalogCheck.indexInvalid(table, name), dropIndex(index.get()));
    }

    /** The statement that drops the index without blocking writes; an index lives in its table's schema. */
    static String dropIndex(IndexTarget index) {
        QualifiedName table = index.table();
        String schema = table.schema() == null ? "" : Identifier.quote(table.schema(), "schema name") + ".";
        return "DROP INDEX CONCURRENTLY " + schema + Identifier.quote(index.name(), "index name");
    }

    /** The index a CREATE INDEX names, and its table. */
    record IndexTarget(String name, QualifiedName table) {
    }

    /** With the cursor after {@code CREATE [UNIQUE] INDEX}. */
    static Optional<IndexTarget> indexTarget(Cursor c) {
        c.take("CONCURRENTLY");
        c.take("IF", "NOT", "EXISTS");
        if (c.word().equals("ON")) {
            return Optional.empty();
        }
        Optional<String> name = c.identifier();
        if (name.isEmpty() || !c.take("ON")) {
            return Optional.empty();
        }
        c.take("ONLY");
        return c.name().map(table -> new IndexTarget(name.get(), table));
    }

    /** The index a {@code CREATE INDEX} statement creates, if it names one. */
    static Optional<IndexTarget> indexCreatedBy(StatementShape shape) {
        Cursor c = shape.cursor(0);
        if (!c.take("CREATE")) {
            return Optional.empty();
        }
        c.take("UNIQUE");
        return c.take("INDEX") ? indexTarget(c) : Optional.empty();
    }

    // ---- ALTER TABLE: the table absent (a missing object), or every action a no-op ----

    private Confirmation alterTable(Cursor c, boolean missing) {
        c.take("IF", "EXISTS");
        c.take("ONLY");
        Optional<QualifiedName> table = c.name();
        if (table.isEmpty()) {
            return unknownTarget();
        }
        List<Fact> actions = new ArrayList<>();
        List<Cursor> pieces = c.commaSeparated();
        for (Cursor action : pieces) {
            String text = action.textToComma();
            actions.add(noOp(table.get(), action).about(text));
        }
        if (missing) {
            List<Fact> absent = List.of(tableAbsent(table.get()));
            return policy.restrictsMissingObjects() ? Confirmation.of(absent) : alternatives(absent, actions);
        }
        return Confirmation.of(actions);
    }

    /** A fact that holds when the action would change nothing. */
    private Fact noOp(QualifiedName table, Cursor c) {
        if (c.take("ADD")) {
            if (c.take("CONSTRAINT")) {
                Optional<String> name = c.identifier();
                if (name.isEmpty()) {
                    return unconfirmable();
                }
                if (c.take("PRIMARY", "KEY")) {
                    return primaryKey(table, c);
                }
                return CatalogCheck.memberPresent(Member.CONSTRAINT, table, name.get());
            }
            if (c.take("PRIMARY", "KEY")) {
                return primaryKey(table, c);
            }
            if (List.of("UNIQUE", "CHECK", "FOREIGN", "EXCLUDE").contains(c.word())) {
                return Fact.never("an unnamed constraint cannot be looked up, so safe-ops cannot tell it is there");
            }
            c.take("COLUMN");
            c.take("IF", "NOT", "EXISTS");
            return c.identifier().map(column -> CatalogCheck.columnPresent(table, column))
                    .orElseGet(SkipRule::unconfirmable);
        }
        if (c.take("DROP")) {
            if (c.take("CONSTRAINT")) {
                c.take("IF", "EXISTS");
                return c.identifier().map(n -> CatalogCheck.memberAbsent(Member.CONSTRAINT, table, n))
                        .orElseGet(SkipRule::unconfirmable);
            }
            c.take("COLUMN");
            c.take("IF", "EXISTS");
            return c.identifier().map(column -> CatalogCheck.columnAbsent(table, column))
                    .orElseGet(SkipRule::unconfirmable);
        }
        if (c.take("ALTER")) {
            c.take("COLUMN");
            Optional<String> column = c.identifier();
            if (column.isPresent() && c.take("ADD", "GENERATED")) {
                String kind = c.take("ALWAYS") ? "a" : c.take("BY", "DEFAULT") ? "d" : null;
                if (kind != null && c.take("AS", "IDENTITY")) {
                    return CatalogCheck.identityColumn(table, column.get(), kind);
                }
            }
            return unconfirmable();
        }
        if (c.take("ATTACH", "PARTITION")) {
            return c.name().map(child -> CatalogCheck.partitionAttached(table, child))
                    .orElseGet(SkipRule::unconfirmable);
        }
        if (c.take("RENAME")) {
            boolean constraint = c.take("CONSTRAINT");
            if (!constraint) {
                c.take("COLUMN");
            }
            if (c.word().equals("TO")) {
                return unconfirmable();
            }
            Optional<String> from = c.identifier();
            Optional<String> to = c.take("TO") ? c.identifier() : Optional.empty();
            if (from.isEmpty() || to.isEmpty()) {
                return unconfirmable();
            }
            Fact gone = constraint ? CatalogCheck.memberAbsent(Member.CONSTRAINT, table, from.get())
                    : CatalogCheck.columnAbsent(table, from.get());
            Fact there = constraint ? CatalogCheck.memberPresent(Member.CONSTRAINT, table, to.get())
                    : CatalogCheck.columnPresent(table, to.get());
            return Fact.of(Condition.of("(", gone.condition(), ") AND (", there.condition(), ")"),
                    gone.claim() + " and " + there.claim());
        }
        return unconfirmable();
    }

    private static Fact primaryKey(QualifiedName table, Cursor c) {
        List<String> columns = new ArrayList<>();
        if (!c.takePunctuation("(")) {
            return unconfirmable();
        }
        do {
            Optional<String> column = c.identifier();
            if (column.isEmpty()) {
                return unconfirmable();
            }
            columns.add(column.get());
        } while (c.takePunctuation(","));
        return c.takePunctuation(")") ? CatalogCheck.primaryKeyExists(table, columns) : unconfirmable();
    }

    private static Fact unconfirmable() {
        return Fact.never("safe-ops cannot confirm from the catalog that this action changes nothing");
    }

    // ---- shared ----

    /** All of the relations are absent (and, with optional tables in the policy, each matches them). */
    private Confirmation relationsAbsent(List<QualifiedName> relations) {
        if (relations.isEmpty()) {
            return unknownTarget();
        }
        List<Fact> facts = new ArrayList<>();
        for (QualifiedName relation : relations) {
            facts.add(tableAbsent(relation));
        }
        return Confirmation.of(facts);
    }

    /** The relation is absent and, when the policy names optional tables, one of them. */
    private Fact tableAbsent(QualifiedName relation) {
        Fact absent = CatalogCheck.relationAbsent(relation);
        if (!policy.restrictsMissingObjects()) {
            return absent;
        }
        Optional<String> optional = policy.optionalCondition(relation);
        if (optional.isEmpty()) {
            return Fact.never(relation + " matches none of the optional tables " + policy.optionalTables());
        }
        return Fact.of(Condition.of(absent.condition(), " AND " + optional.get()),
                absent.claim() + " (optional: " + relation + " matches " + policy.optionalTables() + ")");
    }

    /** Objects other than relations are never optional: with optional tables in the policy they always fail. */
    private Confirmation onlyWhenUnrestricted(Optional<List<Fact>> facts) {
        if (facts.isEmpty()) {
            return unknownTarget();
        }
        if (policy.restrictsMissingObjects()) {
            return Confirmation.none("the statement does not act on a relation matching the optional tables "
                    + policy.optionalTables());
        }
        return Confirmation.of(facts.get());
    }

    private Confirmation alternatives(List<Fact> first, List<Fact> second) {
        return policy.restrictsMissingObjects() ? Confirmation.of(first) : Confirmation.either(first, second);
    }

    /**
     * With optional tables, a statement that references (FROM, JOIN, REFERENCES) an absent optional
     * table is a skip too, provided every other table it references exists.
     */
    private Confirmation withAbsentOptionalReference(Confirmation own) {
        List<QualifiedName> referenced = shape.referencedRelations();
        List<Object> optionalAbsent = new ArrayList<>();
        List<Fact> others = new ArrayList<>();
        // The table the statement acts on must be there too: PostgreSQL reports it first, so a misspelled
        // one would otherwise pass for the absent optional table the statement also reads.
        actedOn().filter(relation -> !referenced.contains(relation)).ifPresent(relation -> others.add(
                CatalogCheck.relationPresent(relation, "table the statement acts on", "'r', 'p', 'v', 'm', 'f'")));
        for (QualifiedName relation : referenced) {
            Optional<String> optional = policy.optionalCondition(relation);
            if (optional.isPresent()) {
                optionalAbsent.add(optionalAbsent.isEmpty() ? "(" : " OR (");
                optionalAbsent.add(CatalogCheck.relationAbsent(relation).condition());
                optionalAbsent.add(" AND " + optional.get() + ")");
            } else {
                others.add(CatalogCheck.relationPresent(relation, "referenced table", "'r', 'p', 'v', 'm', 'f'"));
            }
        }
        if (optionalAbsent.isEmpty()) {
            return own;
        }
        List<Fact> reference = new ArrayList<>();
        reference.add(Fact.of(Condition.of(optionalAbsent.toArray()), "a referenced optional table is absent (to_regclass)"));
        reference.addAll(others);
        List<List<Fact>> alternatives = new ArrayList<>(own.alternatives());
        alternatives.add(reference);
        return new Confirmation(alternatives, own.invalidIndex(), own.repair(), null);
    }

    /** The existing relation a statement acts on (never one it creates), when its text names one. */
    static Optional<QualifiedName> relationActedOn(StatementShape shape) {
        return new SkipRule(shape, null).actedOn();
    }

    /** The existing relation the statement acts on (never one it creates), when it names one. */
    private Optional<QualifiedName> actedOn() {
        Cursor c = shape.cursor(0);
        if (c.take("ALTER", "TABLE") || c.take("ALTER", "FOREIGN", "TABLE")) {
            c.take("IF", "EXISTS");
            c.take("ONLY");
            return c.name();
        }
        if (c.take("INSERT", "INTO") || c.take("DELETE", "FROM") || c.take("UPDATE") || c.take("COPY")) {
            c.take("ONLY");
            return c.name();
        }
        if (c.take("CREATE")) {
            c.take("OR", "REPLACE");
            c.take("UNIQUE");
            c.take("CONSTRAINT");
            if (c.take("INDEX") || c.take("TRIGGER") || c.take("POLICY")) {
                if (!c.skipPast("ON")) {
                    return Optional.empty();
                }
                c.take("ONLY");
                return c.name();
            }
            if (c.take("RULE")) {
                return c.skipPast("TO") ? c.name() : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code [ONLY] name, [ONLY] name, …}; empty unless every one is a name. */
    static List<QualifiedName> names(Cursor c) {
        List<QualifiedName> names = new ArrayList<>();
        do {
            c.take("ONLY");
            Optional<QualifiedName> name = c.name();
            if (name.isEmpty()) {
                return List.of();
            }
            names.add(name.get());
        } while (c.takePunctuation(","));
        return names;
    }

    private Confirmation unknownTarget() {
        return Confirmation.none("safe-ops cannot tell from the statement which object it acts on");
    }
}
