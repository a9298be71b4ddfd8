package dev.safeops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal, for the {@code bench} command and tests; not part of the safe-ops API. A TCP proxy on
 * {@code 127.0.0.1} that makes a server on this machine look far away, and counts the round trips
 * a client makes to it and the bytes it sends.
 *
 * <p>Every chunk of bytes, in both directions, is delivered {@link #oneWayDelay()} after the proxy
 * read it, in order; chunks in flight overlap, so the delay adds latency without limiting
 * throughput. A round trip starts, on each connection, when the client sends bytes after the proxy
 * has delivered server bytes to it since its last send; the first send counts too. Bytes a client
 * writes in several pieces without waiting for an answer are therefore one round trip, however
 * the operating system splits them.
 *
 * <p>The count sees bytes, not intentions: a server answer that arrives while the client is still
 * writing makes what follows a new round trip, though the client never waited. PostgreSQL answers
 * some messages at once (a simple query such as pgjdbc's {@code BEGIN}, an error, a notice), so
 * with a delay shorter than half a client's longest burst of writes the count can exceed the
 * waits. Give a delay longer than that, as real networks have, when the count must be exact.
 *
 * <p>It forwards only to loopback addresses. {@link #close()} closes the listening socket and every
 * connection and waits for the proxy's threads to end; calling it again does nothing.
 */
public final class LatencyProxy implements AutoCloseable {

    /** How long close() waits for each thread; they end as soon as their sockets are closed. */
    private static final long JOIN_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final Duration oneWayDelay;
    private final ServerSocket listener;
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final List<ProxiedConnection> connections = new ArrayList<>();
    private final Thread acceptor;
    private boolean closed;

    private LatencyProxy(InetSocketAddress target, Duration oneWayDelay, ServerSocket listener) {
        this.target = target;
        this.oneWayDelay = oneWayDelay;
        this.listener = listener;
        this.acceptor = new Thread(this::acceptConnections, "latency-proxy-" + listener.getLocalPort() + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on an ephemeral port of {@code 127.0.0.1} and forwards every connection to
     * {@code host:port}, delaying each direction by {@code oneWayDelay}.
     *
     * @throws IllegalArgumentException if {@code host} is not a loopback address of this machine, or
     *     the delay is negative
     * @throws IOException if the host cannot be resolved or the proxy cannot listen
     */
    public static LatencyProxy start(String host, int port, Duration oneWayDelay) throws IOException {
        Objects.requireNonNull(host, "host");
        if (Objects.requireNonNull(oneWayDelay, "oneWayDelay").isNegative()) {
            throw new IllegalArgumentException("the one-way delay must not be negative, was " + oneWayDelay);
        }
        InetAddress address = InetAddress.getByName(host);
        // A benchmark proxy relays nothing off this machine: a remote target would add latency of its own.
        if (!address.isLoopbackAddress()) {
            String resolved = host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress() + ")";
            throw new IllegalArgumentException("LatencyProxy forwards only to a loopback address of this machine, not to "
                    + host + resolved);
        }
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        LatencyProxy proxy = new LatencyProxy(new InetSocketAddress(address, port), oneWayDelay, listener);
        proxy.acceptor.start();
        return proxy;
    }

    /** The port on {@code 127.0.0.1} clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    public Duration oneWayDelay() {
        return oneWayDelay;
    }

    /** Round trips on all connections since the start or the last {@link #reset()}. */
    public long roundTrips() {
        return roundTrips.get();
    }

    /** Bytes clients sent to the server on all connections since the start or the last {@link #reset()}. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Starts counting round trips and bytes from zero again; connections stay open. */
    public void reset() {
        roundTrips.set(0);
        bytesSent.set(0);
    }

    @Override
    public void close() {
        List<ProxiedConnection> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(connections);
            connections.clear();
        }
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the proxy's listening socket on port " + port(), e);
        } finally {
            open.forEach(ProxiedConnection::close);
            join(acceptor);
            open.forEach(connection -> connection.threads().forEach(LatencyProxy::join));
        }
    }

    @Override
    public String toString() {
        return "LatencyProxy[127.0.0.1:" + port() + " -> " + target.getAddress().getHostAddress() + ":"
                + target.getPort() + ", one-way delay " + oneWayDelay.toMillis() + " ms]";
    }

    private void acceptConnections() {
        int accepted = 0;
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted++;
            String name = "latency-proxy-" + port() + "-" + accepted;
            try {
                ProxiedConnection connection = ProxiedConnection.open(name, client, target, oneWayDelay, roundTrips, bytesSent);
                // Started under the lock, so that close() either sees the connection running or not at all.
                synchronized (this) {
                    if (closed) {
                        connection.close();
                        return;
                    }
                    // Ended connections are kept until their threads are gone, so that close() can wait for them.
                    connections.removeIf(ProxiedConnection::finished);
                    connections.add(connection);
                    connection.start();
                }
            } catch (IOException e) {
                // The server is unreachable: the client sees its connection refused, as without a proxy.
                closeQuietly(client);
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("proxy thread " + thread.getName() + " did not end within "
                    + JOIN_MILLIS + " ms after its sockets were closed");
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do; a socket that fails to close is already unusable.
        }
    }
}
