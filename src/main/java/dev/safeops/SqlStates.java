package dev.safeops;

import java.util.Map;

/** PostgreSQL condition names of the SQLSTATEs safe-ops talks about, for readable messages. */
final class SqlStates {

    static final String IN_FAILED_SQL_TRANSACTION = "25P02";
    static final String ACTIVE_SQL_TRANSACTION = "25001";
    static final String FEATURE_NOT_SUPPORTED = "0A000";

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
            Map.entry("57P01", "admin_shutdown"),
            Map.entry("57P02", "crash_shutdown"),
            Map.entry("55P03", "lock_not_available"),
            Map.entry("40P01", "deadlock_detected"),
            Map.entry("40001", "serialization_failure"),
            Map.entry("23505", "unique_violation"),
            Map.entry("23502", "not_null_violation"),
            Map.entry("23503", "foreign_key_violation"),
            Map.entry("42804", "datatype_mismatch"),
            Map.entry("0A000", "feature_not_supported"),
            Map.entry("2BP01", "dependent_objects_still_exist"));

    /** Class names, for SQLSTATEs not named above: the first two characters are the class. */
    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("08", "connection_exception"),
            Map.entry("0A", "feature_not_supported"),
            Map.entry("22", "data_exception"),
            Map.entry("23", "integrity_constraint_violation"),
            Map.entry("25", "invalid_transaction_state"),
            Map.entry("3B", "savepoint_exception"),
            Map.entry("40", "transaction_rollback"),
            Map.entry("42", "syntax_error_or_access_rule_violation"),
            Map.entry("53", "insufficient_resources"),
            Map.entry("54", "program_limit_exceeded"),
            Map.entry("55", "object_not_in_prerequisite_state"),
            Map.entry("57", "operator_intervention"),
            Map.entry("58", "system_error"),
            Map.entry("P0", "plpgsql_error"),
            Map.entry("XX", "internal_error"));

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
        return sqlState.length() < 2 ? "error" : CLASSES.getOrDefault(sqlState.substring(0, 2), "error");
    }
}
