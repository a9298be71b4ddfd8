package dev.safeops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas that start together run {@code apply} one at a time on the migration lock: the first
 * applies, the others find everything there and skip it, and a run that dies leaves nothing held.
 */
class ConcurrentApplyTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void replicasStartedTogetherApplyOnceAndSkipTheRest() throws Exception {
        Path file = Files.writeString(dir.resolve("replica.sql"), """
                CREATE TABLE replica_items (id int);
                ALTER TABLE replica_items ADD COLUMN name text;
                CREATE INDEX replica_items_name ON replica_items (name);
                """);
        List<CliProcess> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replicas.add(CliProcess.start(dir, "replica" + i, db.password(), "apply", "--url", db.jdbcUrl(),
                    "--report", "replica" + i + ".json", file.toString()));
        }

        List<ReportFile> reports = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            Cli run = replicas.get(i).finish(120);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            reports.add(ReportFile.read(dir.resolve("replica" + i + ".json")));
        }

        assertThat(reports).extracting(ReportFile::applied).containsExactlyInAnyOrder(3, 0, 0);
        assertThat(reports).extracting(ReportFile::skipped).containsExactlyInAnyOrder(0, 3, 3);
        assertThat(Catalog.columnType(db, "replica_items", "name")).isEqualTo("text");
    }

    @Test
    void aRunKilledWhileHoldingTheLockLeavesItToTheNext() throws Exception {
        Catalog.execute(db, "CREATE TABLE killed_gate (id int)");
        Path file = Files.writeString(dir.resolve("killed.sql"), """
                CREATE TABLE killed_items (id int);
                ALTER TABLE killed_gate ADD COLUMN note text;
                """);
        try (Connection gate = db.connectInTransaction()) {
            gate.createStatement().execute("LOCK TABLE killed_gate IN ACCESS EXCLUSIVE MODE");
            CliProcess first = CliProcess.start(dir, "first", db.password(), "apply", "--url", db.jdbcUrl(),
                    file.toString());
            int holder = awaitLockHolder(first);
            first.kill();

            CliProcess second = CliProcess.start(dir, "second", db.password(), "apply", "--url", db.jdbcUrl(),
                    "--lock-wait", "60", file.toString());
            // The killed run's server session lives on until its blocked statement ends; then it goes, and the lock with it.
            gate.rollback();
            Cli run = second.finish(90);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Committed: 2 applied, 0 skipped");
            assertThat(sessionAlive(holder)).isFalse();
        }
        assertThat(Catalog.columnType(db, "killed_gate", "note")).isEqualTo("text");
    }

    @Test
    void givesUpAfterTheLockWaitNamingTheWaitingAndTheHoldingSession() throws Exception {
        Path file = Files.writeString(dir.resolve("waits.sql"), "CREATE TABLE waited_items (id int);\n");
        try (Connection holder = db.connect()) {
            holder.setClientInfo("ApplicationName", "deploy-replica-7");
            int pid = lock(holder, MigrationLock.DEFAULT_KEY);

            Cli run = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--lock-wait", "1", file.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("session pid " + pid).contains("deploy-replica-7")
                    .containsPattern("this session \\(pid \\d+\\)").contains("--lock-wait").contains("nothing was sent");
        }
        assertThat(Catalog.relationExists(db, "waited_items")).isFalse();
    }

    @Test
    void namesTheHolderToAWaiterThatMayNotSeeOtherUsersSessions() throws Exception {
        Catalog.execute(db, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safeops_waiter') THEN "
                + "CREATE ROLE safeops_waiter LOGIN PASSWORD 'waiter'; END IF; END $$");
        Path file = Files.writeString(dir.resolve("hidden.sql"), "CREATE TABLE hidden_items (id int);\n");
        try (Connection holder = db.connect()) {
            int pid = lock(holder, MigrationLock.DEFAULT_KEY);

            Cli run = Cli.runWith(Map.of("PGPASSWORD", "waiter"), "apply", "--url", db.jdbcUrl(), "--user",
                    "safeops_waiter", "--lock-wait", "1", file.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("session pid " + pid).doesNotContain("Exception");
        }
    }

    @Test
    void holdsTheLockWhileStatementsRunAfterTheCommit() throws Exception {
        Catalog.execute(db, "CREATE TABLE after_gate (id int)");
        Path file = Files.writeString(dir.resolve("after.sql"), """
                CREATE TABLE after_items (id int);
                VACUUM after_gate;
                """);
        try (Connection gate = db.connectInTransaction()) {
            gate.createStatement().execute("LOCK TABLE after_gate IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.runOn(db, "apply", "--url",
                    db.jdbcUrl(), file.toString()));
            while (!Catalog.relationExists(db, "after_items")) {
                Thread.sleep(50);
            }

            // Committed, VACUUM waiting behind the gate: the lock is still held.
            assertThat(lockHolder(MigrationLock.DEFAULT_KEY)).isNotNull();
            gate.rollback();
            assertThat(run.get().exitCode()).as(run.get().toString()).isZero();
        }
        assertThat(lockHolder(MigrationLock.DEFAULT_KEY)).isNull();
    }

    @Test
    void anotherLockKeyOrNoLockRunsBesideAHeldLock() throws Exception {
        Path first = Files.writeString(dir.resolve("key.sql"), "CREATE TABLE other_key_items (id int);\n");
        Path second = Files.writeString(dir.resolve("nolock.sql"), "CREATE TABLE no_lock_items (id int);\n");
        try (Connection holder = db.connect()) {
            lock(holder, MigrationLock.DEFAULT_KEY);

            Cli otherKey = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--lock-key", "42", "--lock-wait",
                    "1", first.toString());
            Cli noLock = Cli.runOn(db, "apply", "--url", db.jdbcUrl(), "--no-lock", second.toString());

            assertThat(otherKey.exitCode()).as(otherKey.toString()).isZero();
            assertThat(noLock.exitCode()).as(noLock.toString()).isZero();
        }
    }

    /** Waits until the process's session holds the migration lock and is blocked at the gate; returns its pid. */
    private static int awaitLockHolder(CliProcess process) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            Integer pid = lockHolder(MigrationLock.DEFAULT_KEY);
            if (pid != null && waitingForARelation(pid)) {
                return pid;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first run never held the lock: " + process.finish(1));
    }

    private static Integer lockHolder(long key) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                        + " AND classid::bigint = ((? >> 32) & 4294967295) AND objid::bigint = (? & 4294967295)")) {
            query.setLong(1, key);
            query.setLong(2, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getInt(1) : null;
            }
        }
    }

    private static boolean waitingForARelation(int pid) throws SQLException {
        return count("SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = 'relation' AND NOT granted", pid) > 0;
    }

    private static boolean sessionAlive(int pid) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid) > 0;
    }

    private static int count(String sql, int pid) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setInt(1, pid);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static int lock(Connection connection, long key) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + key + ")");
            try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

}
