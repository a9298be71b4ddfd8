package dev.safeops.testing;

/**
 * Run in a JVM of its own with {@code SAFEOPS_TEST_JDBC_URL} set: makes a test database on that server (and so a
 * template), then asks for another major version, and prints the answer. {@link ServerGivenByUrlTest} reads it.
 */
public final class ServerGivenByUrl {

    private ServerGivenByUrl() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("template " + TemplateDatabases.of(TestPostgres.defaultServer(), java.util.List.of()));
        try (ThrowawayDatabase database = new TestDatabase().copyOfTemplate("by_url")) {
            System.out.println("database " + database.name());
        }
        try {
            TestPostgres.server(Integer.parseInt(args[0]));
            System.out.println("no error");
        } catch (IllegalStateException e) {
            System.out.println("error " + e.getMessage());
        }
    }
}
