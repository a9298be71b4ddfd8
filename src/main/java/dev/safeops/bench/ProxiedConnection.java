package dev.safeops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One client connection through a {@link LatencyProxy}: the socket to the client, the socket to
 * the server, a delayed pipe each way, and whose turn it is, which is what makes a round trip.
 */
final class ProxiedConnection {

    private final Socket client;
    private final Socket server;
    private final DelayedPipe upstream;
    private final DelayedPipe downstream;
    private final AtomicLong roundTrips;
    private final AtomicLong bytesSent;
    /** Whether server bytes reached the client since it last sent; true at first, so its first send counts. */
    private final AtomicBoolean answered = new AtomicBoolean(true);
    private final AtomicInteger openDirections = new AtomicInteger(2);

    private ProxiedConnection(String name, Socket client, Socket server, Duration delay, AtomicLong roundTrips,
                              AtomicLong bytesSent) {
        this.client = client;
        this.server = server;
        this.roundTrips = roundTrips;
        this.bytesSent = bytesSent;
        this.upstream = new DelayedPipe(name + "-up", client, server, delay, this::clientSent, () -> { },
                this::directionEnded, this::close);
        this.downstream = new DelayedPipe(name + "-down", server, client, delay, bytes -> { }, this::answering,
                this::directionEnded, this::close);
    }

    /** Connects to the server for an accepted client; on failure closes what it opened, not the client. */
    static ProxiedConnection open(String name, Socket client, InetSocketAddress target, Duration delay,
                                  AtomicLong roundTrips, AtomicLong bytesSent) throws IOException {
        Socket server = new Socket();
        try {
            enableNoDelay(client);
            server.connect(target);
            enableNoDelay(server);
            return new ProxiedConnection(name, client, server, delay, roundTrips, bytesSent);
        } catch (IOException | RuntimeException e) {
            LatencyProxy.closeQuietly(server);
            throw e;
        }
    }

    private static void enableNoDelay(Socket socket) throws SocketException {
        // Small protocol messages must leave at once, or Nagle's algorithm adds latency of its own.
        socket.setTcpNoDelay(true);
    }

    void start() {
        upstream.start();
        downstream.start();
    }

    /** Cuts both directions at once, whatever is still in flight. */
    void close() {
        LatencyProxy.closeQuietly(client);
        LatencyProxy.closeQuietly(server);
        upstream.stop();
        downstream.stop();
    }

    List<Thread> threads() {
        return Stream.concat(upstream.threads().stream(), downstream.threads().stream()).toList();
    }

    /** Whether every thread of the connection has ended, so nothing of it is left to close or wait for. */
    boolean finished() {
        return threads().stream().noneMatch(Thread::isAlive);
    }

    private void clientSent(int bytes) {
        bytesSent.addAndGet(bytes);
        if (answered.getAndSet(false)) {
            roundTrips.incrementAndGet();
        }
    }

    /**
     * Called just before server bytes are written to the client: once written the client may
     * answer at any moment, and its answer must find its turn already marked.
     */
    private void answering() {
        answered.set(true);
    }

    private void directionEnded() {
        if (openDirections.decrementAndGet() == 0) {
            close();
        }
    }
}
