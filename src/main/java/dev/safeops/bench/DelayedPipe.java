package dev.safeops.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Copies one direction of a proxied connection, delivering every chunk a fixed delay after it was
 * read. One thread reads and stamps each chunk with its due time, another delivers them in order;
 * since every chunk waits the same delay, due times never decrease and chunks in flight overlap
 * instead of queueing behind each other's delay.
 */
final class DelayedPipe {

    private static final int CHUNK_BYTES = 64 * 1024;
    /** Bounds what one direction holds in flight; a full queue stops reading, and TCP pushes back. */
    private static final int QUEUED_CHUNKS = 1024;
    private static final Chunk END = new Chunk(0, null);

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    private final Socket from;
    private final Socket to;
    private final long delayNanos;
    private final IntConsumer onRead;
    private final Runnable beforeDelivery;
    private final Runnable onEnd;
    private final Runnable onFailure;
    private final BlockingQueue<Chunk> inFlight = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private final Thread reader;
    private final Thread deliverer;

    /**
     * @param onRead         runs on every chunk read from {@code from}, with its size in bytes
     * @param beforeDelivery runs just before every chunk is written to {@code to}
     * @param onEnd          runs once {@code from} has ended and everything read was delivered
     * @param onFailure      runs when either socket fails; the connection is then beyond repair
     */
    DelayedPipe(String name, Socket from, Socket to, Duration delay, IntConsumer onRead, Runnable beforeDelivery,
                Runnable onEnd, Runnable onFailure) {
        this.from = from;
        this.to = to;
        this.delayNanos = delay.toNanos();
        this.onRead = onRead;
        this.beforeDelivery = beforeDelivery;
        this.onEnd = onEnd;
        this.onFailure = onFailure;
        this.reader = new Thread(this::read, name + "-read");
        this.deliverer = new Thread(this::deliver, name + "-deliver");
        reader.setDaemon(true);
        deliverer.setDaemon(true);
    }

    void start() {
        reader.start();
        deliverer.start();
    }

    /** Ends both threads; the caller has closed the sockets, which unblocks reads and writes. */
    void stop() {
        reader.interrupt();
        deliverer.interrupt();
    }

    List<Thread> threads() {
        return List.of(reader, deliverer);
    }

    private void read() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                onRead.accept(n);
                inFlight.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
            inFlight.put(END);
        } catch (IOException e) {
            onFailure.run();
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private void deliver() {
        try {
            OutputStream out = to.getOutputStream();
            for (Chunk chunk = inFlight.take(); chunk != END; chunk = inFlight.take()) {
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                beforeDelivery.run();
                out.write(chunk.bytes());
            }
            // Pass the end on, as a half-close: the other side may still answer.
            to.shutdownOutput();
            onEnd.run();
        } catch (IOException e) {
            onFailure.run();
        } catch (InterruptedException e) {
            // stopped
        }
    }
}
