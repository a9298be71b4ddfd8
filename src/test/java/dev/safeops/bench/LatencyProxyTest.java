package dev.safeops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeops.testing.TestDatabase;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy in front of a real PostgreSQL: what it counts, what it forwards, and the delay it adds. */
class LatencyProxyTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** PostgreSQL's SSLRequest: length 8, then this code; the server answers with one byte. */
    private static final int SSL_REQUEST_CODE = 80877103;
    /** The protocol version of a StartupMessage, after its length. */
    private static final int PROTOCOL_3_0 = 196608;

    private static Database database() {
        return Database.at(db.jdbcUrl(), db.user(), db.password());
    }

    private static LatencyProxy proxy(Duration delay) throws IOException {
        return LatencyProxy.start(database().host(), database().port(), delay);
    }

    @Test
    void countsOneRoundTripPerQueryAndAnswer() throws Exception {
        try (LatencyProxy proxy = proxy(Duration.ZERO);
             Connection connection = database().connectThrough(proxy);
             Statement statement = connection.createStatement()) {
            proxy.reset();

            for (int i = 0; i < 3; i++) {
                statement.execute("SELECT 1");
            }

            assertThat(proxy.roundTrips()).isEqualTo(3);
        }
    }

    @Test
    void countsAMessageWrittenInPiecesBeforeTheAnswerAsOneRoundTrip() throws Exception {
        try (LatencyProxy proxy = proxy(Duration.ZERO); Socket socket = new Socket("127.0.0.1", proxy.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());

            out.writeInt(8);
            out.flush();
            TimeUnit.MILLISECONDS.sleep(50); // the first half reaches the server alone, which waits for the rest
            out.writeInt(SSL_REQUEST_CODE);
            out.flush();
            assertThat(in.readByte()).isEqualTo((byte) 'N');
            byte[] startup = ("user\0" + db.user() + "\0database\0" + db.name() + "\0\0")
                    .getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + startup.length);
            out.writeInt(PROTOCOL_3_0);
            out.write(startup);
            out.flush();
            assertThat(in.readByte()).isEqualTo((byte) 'R'); // an authentication message

            assertThat(proxy.roundTrips()).isEqualTo(2);
        }
    }

    @Test
    void countsTheBytesClientsSendAndNotTheAnswers() throws Exception {
        try (LatencyProxy proxy = proxy(Duration.ZERO); Socket socket = new Socket("127.0.0.1", proxy.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());

            out.writeInt(8);
            out.writeInt(SSL_REQUEST_CODE);
            out.flush();
            assertThat(in.readByte()).isEqualTo((byte) 'N');

            assertThat(proxy.bytesSent()).isEqualTo(8);
            proxy.reset();
            assertThat(proxy.bytesSent()).isZero();
        }
    }

    @Test
    void forwardsLargeValuesIntactInBothDirections() throws Exception {
        byte[] random = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(random);
        String text = HexFormat.of().formatHex(random);
        try (LatencyProxy proxy = proxy(Duration.ofMillis(1));
             Connection connection = database().connectThrough(proxy);
             PreparedStatement statement = connection.prepareStatement("SELECT ?::text, md5(?::text)")) {
            statement.setString(1, text);
            statement.setString(2, text);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();

                assertThat(rows.getString(1)).isEqualTo(text);
                assertThat(rows.getString(2)).isEqualTo(md5(text));
            }
        }
    }

    @Test
    void addsTheDelayInEachDirection() throws Exception {
        Duration delay = Duration.ofMillis(50);
        try (LatencyProxy proxy = proxy(delay);
             Connection connection = database().connectThrough(proxy);
             Statement statement = connection.createStatement()) {
            proxy.reset();

            long start = System.nanoTime();
            statement.execute("SELECT 1");
            long elapsed = System.nanoTime() - start;

            assertThat(proxy.roundTrips()).isEqualTo(1);
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(delay.multipliedBy(2));
        }
    }

    @Test
    void refusesToForwardOffThisMachine() {
        assertThatThrownBy(() -> LatencyProxy.start("192.0.2.1", 5432, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void closeCutsItsConnectionsAndEndsItsThreads() throws Exception {
        Connection connection;
        try (LatencyProxy proxy = proxy(Duration.ZERO)) {
            connection = database().connectThrough(proxy);
        }

        try (connection) {
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("latency-proxy-"));
    }

    private static String md5(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
