package dev.safeops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a typed operation on an index {@linkplain Index#concurrently() built or dropped concurrently}
 * does around its statement. PostgreSQL runs {@code CREATE/DROP INDEX CONCURRENTLY} only outside a
 * transaction block, so on a connection in one it is refused before anything is sent, with how to
 * run it. A {@code REINDEX … CONCURRENTLY} of the index that failed leaves an invalid copy on the
 * table, {@code name_ccnew} (or {@code name_ccold} when it failed after the swap, the old index):
 * PostgreSQL's documented recovery is to drop it, which happens first, as an outcome of its own.
 */
final class ConcurrentIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SafeOps.class);
    /** The suffixes PostgreSQL gives the copies a concurrent reindex makes ({@code ChooseRelationName}). */
    private static final String COPY_SUFFIX = "'_cc(new|old)[0-9]*$'";
    /**
     * A copy's name is truncated to 63 bytes, suffix kept, at a character boundary: a stem shorter than
     * the index name counts only when the copy's name had no room for the name's next character, so
     * that the leftovers of another index, whose name is a prefix of this one, are not taken for this
     * one's.
     */
    private static final int MAX_NAME_BYTES = 63;
    private static final String WRONG_OBJECT_TYPE = "42809";

    private ConcurrentIndex() {
    }

    /**
     * Runs {@code step}, a typed concurrent build or drop of {@code index} on {@code table}: refused
     * in a transaction; in autocommit mode the invalid copies a failed concurrent reindex of it left
     * are dropped first.
     */
    static Outcome run(Guard guard, Connection connection, Guard.Step step, QualifiedName table, String index)
            throws SafeOpsException {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException unusable) {
            return guard.run(step); // which reports the connection's failure as every operation does
        }
        if (!autoCommit) {
            throw guard.refused(step, refusal(step.operation()));
        }
        if (SkipRule.indexCreatedBy(step.operation().shape()).isEmpty()) {
            refuseAnotherTablesIndex(guard, step, table, index);
        }
        String copies = guard.ask(step, leftovers(table, index));
        for (String copy : copies == null || copies.isEmpty() ? List.<String>of()
                : List.of(copies.split(String.valueOf(Wanted.SEPARATOR)))) {
            // A reindex still running holds its table's lock until it ends, and its copy is gone then:
            // the drop waits for it and finds nothing, a confirmed skip.
            Operation drop = Operation.typed("drop index " + copy + " concurrently, left invalid by a failed REINDEX "
                    + "CONCURRENTLY of " + index, "DROP INDEX CONCURRENTLY " + copy, EnumSet.of(Tolerance.MISSING));
            Outcome dropped = guard.run(new Guard.Step(drop.at(step.location()), step.location(), null, -1));
            if (dropped.isApplied()) {
                LOG.info("safe-ops {} dropped index {}, left invalid by a failed REINDEX CONCURRENTLY of {}",
                        step.location(), copy, index);
            }
        }
        return guard.run(step);
    }

    /**
     * A drop names its index by the table's schema, or the search path when the table has none: an
     * index of that name found on another table is a mistake, never the one to drop.
     */
    private static void refuseAnotherTablesIndex(Guard guard, Guard.Step step, QualifiedName table, String index)
            throws SafeOpsException {
        QualifiedName named = new QualifiedName(table.schema(), index);
        String owner = guard.ask(step, "SELECT i.indrelid::pg_catalog.regclass::text FROM pg_catalog.pg_index i"
                + " WHERE i.indexrelid = " + CatalogCheck.regclass(named)
                + " AND i.indrelid IS DISTINCT FROM " + CatalogCheck.regclass(table));
        if (owner != null) {
            // 42809 wrong_object_type: the name finds an object, not the one meant (not a transaction's 25001)
            throw new SafeOpsException(SafeOpsException.Kind.REFUSED, step.operation().description() + ": index "
                    + named + " is on " + owner + ", not on " + table + " (a mistake, not drift: the index named is "
                    + "another table's). Nothing was dropped", WRONG_OBJECT_TYPE, step.sql(),
                    step.operation().description(), step.location(), SafeOpsException.After.AUTOCOMMIT, null);
        }
    }

    private static String refusal(Operation operation) {
        return operation.description() + " cannot run inside a transaction block (25001 active_sql_transaction), and "
                + "this connection is in one (autocommit is off). Run it on its own, outside the migration's "
                + "transaction: commit first and call connection.setAutoCommit(true) before it (PostgreSQL then "
                + "commits each of its phases itself), or leave out concurrently() to run it in the transaction, "
                + "blocking writes to the table until the transaction ends. Nothing was sent";
    }

    /**
     * The invalid copies of {@code index} on {@code table} that a failed concurrent reindex left (none
     * while another session builds or reindexes an index of the table), as
     * names to use in SQL (qualified where the search path does not find them), separated by
     * {@link Wanted#SEPARATOR}.
     */
    static String leftovers(QualifiedName table, String index) {
        String name = Literal.quote(index);
        return "SELECT coalesce(pg_catalog.string_agg(c.oid::pg_catalog.regclass::text, chr(31) ORDER BY c.relname), '')"
                + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                + " CROSS JOIN LATERAL (SELECT pg_catalog.regexp_replace(c.relname, " + COPY_SUFFIX + ", '') AS stem) s"
                + " WHERE i.indrelid = " + CatalogCheck.regclass(table) + " AND NOT i.indisvalid"
                // a copy is invalid while its reindex runs, too: only one whose reindex has ended is left over
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p"
                + " WHERE p.relid = i.indrelid AND p.pid <> pg_catalog.pg_backend_pid())"
                + " AND s.stem <> c.relname AND (s.stem = " + name + " OR (pg_catalog.left(" + name
                + ", pg_catalog.length(s.stem)) = s.stem AND pg_catalog.octet_length(c.relname) + pg_catalog.octet_length("
                + "pg_catalog.substr(" + name + ", pg_catalog.length(s.stem) + 1, 1)) > " + MAX_NAME_BYTES + "))";
    }

    /**
     * An invalid index of that name on the table that no other session is building: what a failed
     * build left. Another session's concurrent build of the same index (another deployment running
     * the same migration) keeps its index invalid until it ends; a build that waited for it and timed
     * out created nothing, and must neither claim nor drop that index.
     */
    static Fact leftBehind(QualifiedName table, String index) {
        Fact invalid = CatalogCheck.indexInvalid(table, index);
        return Fact.of(Condition.of("(", invalid.condition(), ") AND NOT EXISTS (SELECT 1 FROM"
                + " pg_catalog.pg_stat_progress_create_index p JOIN pg_catalog.pg_class c ON c.oid = p.index_relid"
                + " WHERE p.relid = ", CatalogCheck.regclassOf(table), " AND c.relname = ", Condition.value(index),
                " AND p.pid <> pg_catalog.pg_backend_pid())"),
                invalid.claim() + ", and no other session is building it (pg_stat_progress_create_index)");
    }

    /** What became of the invalid index a typed concurrent build left: dropped, or why not. */
    static String droppedLeftover(String drop, SQLException error) {
        return error == null ? ": dropped it (" + drop + ") so that nothing half-built stays"
                : ": dropping it (" + drop + ") failed too, with SQLSTATE " + error.getSQLState() + " ("
                        + Judge.serverMessage(error) + "): drop it before running again";
    }
}
