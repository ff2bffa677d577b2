package org.allockit.pool.small;

/** Bytes held from the backing and the most ever held, updated as chunks and large blocks come and go. */
final class Footprint {

    private long bytes;
    private long peak;

    void add(long amount) {
        bytes += amount;
        peak = Math.max(peak, bytes);
    }

    void remove(long amount) {
        bytes -= amount;
    }

    long bytes() {
        return bytes;
    }

    long peak() {
        return peak;
    }
}
