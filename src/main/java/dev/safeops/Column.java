package dev.safeops;

import java.util.Objects;

/**
 * A column definition for {@link SafeOps#createTable} and {@link SafeOps#addColumn}. Immutable:
 * {@link #notNull()}, {@link #defaultTo(String)} and {@link #primaryKey()} return new values.
 *
 * <p>The name is an identifier and is always quoted; the type and the default are SQL written by
 * the caller (for example {@code "varchar(100)"}, {@code "now()"}) and are sent as they are.
 *
 * @param name              column name, taken literally
 * @param type              SQL type, e.g. {@code bigint}, {@code text[]}, {@code numeric(10,2)}
 * @param isNotNull         whether the column is NOT NULL
 * @param defaultExpression SQL default expression, or {@code null}
 * @param isPrimaryKey      whether the column is (part of) the primary key; only meaningful in
 *                          {@link SafeOps#createTable}
 */
public record Column(String name, String type, boolean isNotNull, String defaultExpression, boolean isPrimaryKey) {

    public Column {
        Identifier.checked(name, "column name");
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("the type of column \"" + name + "\" must not be null or blank");
        }
        if (defaultExpression != null && defaultExpression.isBlank()) {
            throw new IllegalArgumentException("the default of column \"" + name + "\" must not be blank");
        }
    }

    /** A nullable column without default. */
    public static Column of(String name, String type) {
        return new Column(name, type, false, null, false);
    }

    public Column notNull() {
        return new Column(name, type, true, defaultExpression, isPrimaryKey);
    }

    public Column defaultTo(String expression) {
        return new Column(name, type, isNotNull, Objects.requireNonNull(expression, "default expression"), isPrimaryKey);
    }

    public Column primaryKey() {
        return new Column(name, type, isNotNull, defaultExpression, true);
    }

    /** The column definition as it appears in CREATE TABLE or ADD COLUMN, without the primary key. */
    String definition() {
        StringBuilder sql = new StringBuilder(Identifier.quote(name, "column name")).append(' ').append(type);
        if (isNotNull) {
            sql.append(" NOT NULL");
        }
        if (defaultExpression != null) {
            sql.append(" DEFAULT ").append(defaultExpression);
        }
        return sql.toString();
    }
}
