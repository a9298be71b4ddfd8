package dev.safeops.testing;

import dev.safeops.embedded.EmbeddedPostgres;

/**
 * How to reach a server of the test run as a superuser.
 *
 * @param adminJdbcUrl a JDBC URL of a database that always exists ({@code postgres})
 * @param password     {@code null} when the server needs none
 * @param givenByUrl   whether it is the server {@code SAFEOPS_TEST_JDBC_URL} names, which nothing else replaces
 */
record PostgresServer(String adminJdbcUrl, String user, String password, int majorVersion, boolean givenByUrl) {

    static PostgresServer of(EmbeddedPostgres embedded) {
        return new PostgresServer(embedded.jdbcUrl("postgres"), embedded.user(), null, embedded.majorVersion(), false);
    }

    /** A JDBC URL for another database on this server, with the same parameters as the admin URL. */
    String jdbcUrl(String database) {
        return TestPostgres.withDatabase(adminJdbcUrl, database);
    }

    @Override
    public String toString() {
        return "PostgreSQL " + majorVersion + " at " + TestPostgres.redacted(adminJdbcUrl);
    }
}
