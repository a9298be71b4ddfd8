package dev.safeops.cli;

import java.io.PrintWriter;

/**
 * A one-line statement counter on the terminal, redrawn at most ten times a second, for runs long
 * enough that silence would look like a hang. Draws nothing when no person is watching.
 */
final class Progress implements Runnable {

    /** Shorter runs finish before a counter would be worth reading. */
    private static final int MINIMUM_STATEMENTS = 200;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter terminal;
    private final int total;
    private final boolean enabled;
    private int done;
    private long lastDrawn;
    private int drawnWidth;

    Progress(PrintWriter terminal, int total, boolean interactive) {
        this.terminal = terminal;
        this.total = total;
        this.enabled = interactive && total >= MINIMUM_STATEMENTS;
    }

    @Override
    public void run() {
        done++;
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawnWidth > 0 && now - lastDrawn < REDRAW_NANOS && done < total) {
            return;
        }
        lastDrawn = now;
        String counter = "safe-ops: " + done + "/" + total + " statements";
        drawnWidth = counter.length();
        terminal.print("\r" + counter);
        terminal.flush();
    }

    /** Clears the counter so that what follows starts on a clean line. */
    void clear() {
        if (drawnWidth > 0) {
            terminal.print("\r" + " ".repeat(drawnWidth) + "\r");
            terminal.flush();
            drawnWidth = 0;
        }
    }
}
