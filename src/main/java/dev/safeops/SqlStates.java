package dev.safeops;

import java.util.Map;

/** PostgreSQL condition names of the SQLSTATEs safe-ops talks about, for readable messages. */
final class SqlStates {

    static final String IN_FAILED_SQL_TRANSACTION = "25P02";
    static final String ACTIVE_SQL_TRANSACTION = "25001";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("42P01", "undefined_table"),
            Map.entry("42703", "undefined_column"),
            Map.entry("42704", "undefined_object"),
            Map.entry("3F000", "invalid_schema_name"),
            Map.entry("42883", "undefined_function"),
            Map.entry("42P07", "duplicate_table"),
            Map.entry("42701", "duplicate_column"),
            Map.entry("42710", "duplicate_object"),
            Map.entry("42P06", "duplicate_schema"),
            Map.entry("42723", "duplicate_function"),
            Map.entry("42P16", "invalid_table_definition"),
            Map.entry("42809", "wrong_object_type"),
            Map.entry("25P02", "in_failed_sql_transaction"),
            Map.entry("25001", "active_sql_transaction"),
            Map.entry("42601", "syntax_error"),
            Map.entry("42501", "insufficient_privilege"),
            Map.entry("57014", "query_canceled"),
            Map.entry("55P03", "lock_not_available"),
            Map.entry("40P01", "deadlock_detected"),
            Map.entry("40001", "serialization_failure"),
            Map.entry("23505", "unique_violation"),
            Map.entry("23502", "not_null_violation"),
            Map.entry("23503", "foreign_key_violation"),
            Map.entry("42804", "datatype_mismatch"),
            Map.entry("0A000", "feature_not_supported"),
            Map.entry("2BP01", "dependent_objects_still_exist"));

    private SqlStates() {
    }

    static String name(String sqlState) {
        if (sqlState == null) {
            return "no SQLSTATE";
        }
        String name = NAMES.get(sqlState);
        if (name != null) {
            return name;
        }
        return sqlState.startsWith("08") ? "connection_exception" : "error";
    }
}
