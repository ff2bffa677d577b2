package org.allockit.bench.shootout;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The shoot-out's progress bar on one terminal line: how far it is, which contender and workload
 * run now, and the time left, estimated from the plan and corrected by how long the cells so far
 * really took. Redrawn by a daemon timer four times a second.
 *
 * <p>Thread safety: the listener methods and the timer synchronise on this object.
 */
public final class Progress implements Shootout.Listener, AutoCloseable {

    private static final int BAR = 28;

    private final PrintStream out;
    private final long planned;
    private final long started = System.nanoTime();
    private final Thread timer;
    private Cell current;
    private int index;
    private int total;
    private long cellStarted;
    private volatile boolean closed;

    /** Draws on {@code out}; {@code perCell} is the warm-up plus measurement time of one cell. */
    public Progress(PrintStream out, Duration perCell) {
        this.out = out;
        this.planned = perCell.toNanos();
        this.timer = Thread.ofPlatform().daemon().name("shootout-progress").start(this::tick);
    }

    @Override
    public synchronized void started(Cell cell, int index, int total) {
        this.current = cell;
        this.index = index;
        this.total = total;
        this.cellStarted = System.nanoTime();
        draw();
    }

    private void tick() {
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!closed && current != null) {
                    draw();
                }
            }
        }
    }

    private void draw() {
        long now = System.nanoTime();
        long perCell = index == 0 ? planned : Math.max(planned, (cellStarted - started) / index);
        long left = Math.max(0, perCell * (total - index) - (now - cellStarted));
        int filled = total == 0 ? 0 : BAR * index / total;
        String line = String.format(Locale.ROOT, "\r[%s%s] %3d/%d  %-44s %s left ",
                "#".repeat(filled), ".".repeat(BAR - filled), index + 1, total, clip(current.toString(), 44), clock(left));
        out.print(line);
        out.flush();
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    private static String clock(long nanos) {
        long seconds = (nanos + 999_999_999) / 1_000_000_000;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.interrupt();
        out.printf(Locale.ROOT, "\r%-100s\rdone in %s%n", "", clock(System.nanoTime() - started));
        out.flush();
    }
}
