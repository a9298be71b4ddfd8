package dev.safeops;

import dev.safeops.testing.TestDatabase;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.Driver;

/**
 * A TCP proxy in front of a test class's database that reads the client's side of the PostgreSQL
 * protocol message by message, so that a test can stop the client's messages at an exact point —
 * say, right after the server was sent {@code SAVEPOINT safe_ops} for the third time — act on the
 * server while it waits there, and let the rest through. Nothing is faked: every byte the server
 * and the client exchange is theirs, delivered in order; only when the client's bytes arrive is
 * chosen. It also records every statement clients sent.
 *
 * <p>{@code @RegisterExtension static final HoldingProxy proxy = new HoldingProxy(db);} — after
 * each test, whatever is held is let through and the proxy forgets its hold and its record; after
 * the class, the proxy and its connections are closed.
 */
public final class HoldingProxy implements AfterEachCallback, AfterAllCallback {

    /** How long a test waits for the client to reach the hold; far longer than any test needs. */
    private static final long WAIT_SECONDS = 30;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_ENCRYPTION_REQUEST = 80877104;

    private final TestDatabase db;
    private final List<String> statements = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket listener;
    private Hold hold;

    public HoldingProxy(TestDatabase db) {
        this.db = db;
    }

    /** A connection through the proxy with pgjdbc's default settings plus {@code settings}, autocommit off. */
    public Connection connectInTransaction(Map<String, String> settings) throws SQLException {
        Properties target = Driver.parseURL(db.jdbcUrl(), null);
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        if (db.password() != null) {
            properties.setProperty("password", db.password());
        }
        settings.forEach(properties::setProperty);
        String url = "jdbc:postgresql://127.0.0.1:" + port(target) + "/"
                + URLEncoder.encode(target.getProperty("PGDBNAME"), StandardCharsets.UTF_8).replace("+", "%20");
        Connection connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(false);
        return connection;
    }

    /**
     * From now on, stops the client's messages right after the {@code occurrence}-th (counting from 1)
     * Parse or simple Query message that carries {@code sql}: the server receives that message and
     * everything before it, and nothing after it until {@link #release()}.
     */
    public synchronized void holdAfter(String sql, int occurrence) {
        hold = new Hold(sql, occurrence);
    }

    /** Waits until a client is stopped at the hold. */
    public void awaitHeld() throws InterruptedException {
        Hold current;
        synchronized (this) {
            current = hold;
        }
        if (!current.reached.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no client sent " + current.sql + " #" + current.occurrence
                    + " within " + WAIT_SECONDS + " s; statements sent: " + statements());
        }
    }

    /** Lets the held client's messages through, and every later one. */
    public synchronized void release() {
        if (hold != null) {
            hold.released.countDown();
            hold = null;
        }
    }

    /** Every statement clients sent since the last test, in order. */
    public synchronized List<String> statements() {
        return List.copyOf(statements);
    }

    /** Forgets what was recorded. */
    public synchronized void forget() {
        statements.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        release();
        forget();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        release();
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(HoldingProxy::closeQuietly);
        }
    }

    private synchronized int port(Properties target) {
        if (listener == null) {
            try {
                listener = new ServerSocket();
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new UncheckedIOException("the proxy could not listen", e);
            }
            InetSocketAddress server = new InetSocketAddress(target.getProperty("PGHOST").split(",")[0],
                    Integer.parseInt(target.getProperty("PGPORT").split(",")[0]));
            Thread acceptor = new Thread(() -> accept(server), "holding-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        return listener.getLocalPort();
    }

    private void accept(InetSocketAddress server) {
        while (true) {
            Socket client;
            Socket upstream;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                upstream = new Socket(server.getAddress(), server.getPort());
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (this) {
                sockets.add(client);
                sockets.add(upstream);
            }
            start("holding-proxy-answers", () -> copy(upstream, client));
            start("holding-proxy-messages", () -> relayMessages(client, upstream));
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // one side is gone: so is the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Forwards the client's messages one at a time, stopping where the hold says. */
    private void relayMessages(Socket client, Socket server) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            OutputStream out = new BufferedOutputStream(server.getOutputStream());
            boolean startup = true; // the startup packets have no type byte
            while (true) {
                if (in.available() == 0) {
                    out.flush(); // everything the client wrote so far, before waiting for more
                }
                byte[] message;
                String sql = null;
                if (startup) {
                    int length = in.readInt();
                    message = new byte[length];
                    writeInt(message, 0, length);
                    in.readFully(message, 4, length - 4);
                    int code = readInt(message, 4);
                    startup = code == SSL_REQUEST || code == GSS_ENCRYPTION_REQUEST;
                } else {
                    int type = in.readUnsignedByte();
                    int length = in.readInt();
                    message = new byte[length + 1];
                    message[0] = (byte) type;
                    writeInt(message, 1, length);
                    in.readFully(message, 5, length - 4);
                    sql = statementOf(message);
                }
                out.write(message);
                Hold stop = sql == null ? null : recordAndMatch(sql);
                if (stop != null) {
                    stop.stopHere(out);
                }
            }
        } catch (EOFException e) {
            // the client said goodbye
        } catch (IOException e) {
            // one side is gone: so is the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private synchronized Hold recordAndMatch(String sql) {
        statements.add(sql);
        if (hold != null && hold.sql.equals(sql) && ++hold.seen == hold.occurrence) {
            return hold;
        }
        return null;
    }

    /** The statement a Parse ('P': name, query) or simple Query ('Q': query) message carries, else null. */
    private static String statementOf(byte[] message) {
        int start;
        if (message[0] == 'Q') {
            start = 5;
        } else if (message[0] == 'P') {
            start = 5;
            while (message[start] != 0) {
                start++;
            }
            start++;
        } else {
            return null;
        }
        int end = start;
        while (message[end] != 0) {
            end++;
        }
        return new String(message, start, end - start, StandardCharsets.UTF_8);
    }

    private static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    /** Where to stop, how many matching statements went by, and the signals both ways. */
    private static final class Hold {
        private final String sql;
        private final int occurrence;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private int seen;

        Hold(String sql, int occurrence) {
            this.sql = sql;
            this.occurrence = occurrence;
        }

        /** Delivers what went before, tells the test, and waits for it to let the rest through. */
        void stopHere(OutputStream server) throws IOException, InterruptedException {
            server.flush();
            reached.countDown();
            if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the test never let the held messages through");
            }
        }
    }
}
