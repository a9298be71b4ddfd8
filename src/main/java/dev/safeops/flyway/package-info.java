/**
 * safe-ops inside Flyway: {@link dev.safeops.flyway.SafeJavaMigration} for Java migrations and
 * {@link dev.safeops.flyway.SafeOpsCallback} for plain {@code .sql} migrations.
 *
 * <p>Flyway is an optional dependency of safe-ops: add {@code org.flywaydb:flyway-core} and
 * {@code org.flywaydb:flyway-database-postgresql} (11.7 or later) to use this package. Nothing
 * else in safe-ops needs Flyway.
 */
package dev.safeops.flyway;
