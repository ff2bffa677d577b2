package org.allockit.bench.sim;

import java.util.Locale;

/**
 * The shape of one set-associative cache (or TLB, where a "line" is a page): total size in bytes,
 * ways per set and line size. Invariant: {@code size == sets * ways * lineSize} with a power-of-two
 * line size and at least one set; the number of sets need not be a power of two (a host's L3 often
 * is not), in which case the set index is the line number modulo the set count.
 */
public record CacheGeometry(long size, int ways, int lineSize) {

    public CacheGeometry {
        if (lineSize < 1 || Integer.bitCount(lineSize) != 1) {
            throw new IllegalArgumentException("line size " + lineSize + " is not a power of two");
        }
        if (ways < 1) {
            throw new IllegalArgumentException("ways " + ways + " must be at least 1");
        }
        long setBytes = (long) ways * lineSize;
        if (size < setBytes || size % setBytes != 0) {
            throw new IllegalArgumentException("size " + size + " is not a multiple of ways*line = " + setBytes);
        }
        if (size / setBytes > Integer.MAX_VALUE / ways) {
            throw new IllegalArgumentException("size " + size + " has too many lines to simulate");
        }
    }

    /** A cache of {@code entries} lines of {@code lineSize} bytes, {@code ways}-way set-associative. */
    public static CacheGeometry ofEntries(int entries, int ways, int lineSize) {
        return new CacheGeometry((long) entries * lineSize, ways, lineSize);
    }

    /** Parses cachegrind's {@code SIZE,WAYS,LINE} ({@code 32768,8,64}); sizes may end in K, M or G. */
    public static CacheGeometry parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not SIZE,WAYS,LINE");
        }
        return new CacheGeometry(parseSize(parts[0]), Math.toIntExact(parseSize(parts[1])),
                Math.toIntExact(parseSize(parts[2])));
    }

    /** A byte count, optionally with a K, M or G suffix (powers of 1024). */
    public static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (t.endsWith("K")) {
            shift = 10;
        } else if (t.endsWith("M")) {
            shift = 20;
        } else if (t.endsWith("G")) {
            shift = 30;
        }
        if (shift != 0) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size", e);
        }
    }

    public int sets() {
        return (int) (size / ((long) ways * lineSize));
    }

    public int lines() {
        return sets() * ways;
    }

    /** Cachegrind's notation, {@code 32768,8,64}. */
    @Override
    public String toString() {
        return size + "," + ways + "," + lineSize;
    }
}
