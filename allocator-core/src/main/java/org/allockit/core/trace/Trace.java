package org.allockit.core.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A whole allocation trace in memory, validated, its operations in primitive arrays so that replayers
 * walk it by index without allocating: per operation one byte of kind and alignment, the trace ID,
 * the dense slot (see {@link TraceReader}) and the size — 17 bytes, about 37 MB for two million
 * operations. Line numbers are kept as a sparse table of the places where they jump (comments and
 * blank lines), for error messages. Immutable once read; safe to share between threads.
 *
 * <pre>
 *  code byte:  7      2 1  0
 *             +--------+----+
 *             | log2 A |kind|    kind: 0 a, 1 m, 2 r, 3 f; A: the alignment of an m
 *             +--------+----+
 * </pre>
 */
public final class Trace {

    /** {@code a ID SIZE}. */
    public static final byte ALLOC = 0;
    /** {@code m ID SIZE ALIGN}. */
    public static final byte ALIGNED = 1;
    /** {@code r ID SIZE}. */
    public static final byte REALLOC = 2;
    /** {@code f ID}. */
    public static final byte FREE = 3;

    private static final String LETTERS = "amrf";

    private final String source;
    private final List<String> header;
    private final int operations;
    private final byte[] codes;
    private final int[] ids;
    private final int[] slots;
    private final long[] sizes;
    private final int[] jumpOperation;
    private final int[] jumpLine;
    private final int slotCount;
    private final long peakLiveBytes;
    private final int peakLiveOperation;
    private final int liveAtEnd;
    private final int[] counts;

    private Trace(TraceReader reader, Builder b) {
        this.source = reader.source();
        this.header = reader.header();
        this.operations = b.count;
        this.codes = Arrays.copyOf(b.codes, b.count);
        this.ids = Arrays.copyOf(b.ids, b.count);
        this.slots = Arrays.copyOf(b.slots, b.count);
        this.sizes = Arrays.copyOf(b.sizes, b.count);
        this.jumpOperation = Arrays.copyOf(b.jumpOperation, b.jumps);
        this.jumpLine = Arrays.copyOf(b.jumpLine, b.jumps);
        this.slotCount = reader.slotCount();
        this.peakLiveBytes = reader.peakLiveBytes();
        this.peakLiveOperation = (int) reader.peakLiveOperation();
        this.liveAtEnd = reader.liveBlocks();
        this.counts = b.counts.clone();
    }

    /** Reads and validates a trace file (plain or gzip). */
    public static Trace read(Path file) throws IOException {
        try (TraceReader reader = TraceReader.open(file)) {
            return read(reader);
        }
    }

    /** Reads and validates a trace from a stream; {@code source} names it in errors. */
    public static Trace read(InputStream in, String source, boolean compressed) throws IOException {
        try (TraceReader reader = new TraceReader(in, source, compressed)) {
            return read(reader);
        }
    }

    /** Reads every remaining operation of {@code reader}. */
    public static Trace read(TraceReader reader) throws IOException {
        Builder b = new Builder();
        while (reader.next()) {
            if (b.count == Integer.MAX_VALUE - 8) {
                throw new TraceFormatException(reader.source(), reader.line(), "more operations than one Trace holds");
            }
            b.add(reader);
        }
        return new Trace(reader, b);
    }

    /** Accumulates the arrays while reading, growing them by half. */
    private static final class Builder {
        int count;
        byte[] codes = new byte[1024];
        int[] ids = new int[1024];
        int[] slots = new int[1024];
        long[] sizes = new long[1024];
        int jumps;
        int[] jumpOperation = new int[4];
        int[] jumpLine = new int[4];
        int lastLine;
        final int[] counts = new int[4];

        void add(TraceReader r) {
            if (count == codes.length) {
                int n = (int) Math.min(Integer.MAX_VALUE - 8L, count + (count >> 1));
                codes = Arrays.copyOf(codes, n);
                ids = Arrays.copyOf(ids, n);
                slots = Arrays.copyOf(slots, n);
                sizes = Arrays.copyOf(sizes, n);
            }
            if (count == 0 || r.line() != lastLine + 1) {
                if (jumps == jumpLine.length) {
                    jumpOperation = Arrays.copyOf(jumpOperation, jumps * 2);
                    jumpLine = Arrays.copyOf(jumpLine, jumps * 2);
                }
                jumpOperation[jumps] = count;
                jumpLine[jumps++] = r.line();
            }
            lastLine = r.line();
            codes[count] = (byte) (r.alignmentShift() << 2 | r.kind());
            ids[count] = r.id();
            slots[count] = r.slot();
            sizes[count] = r.size();
            counts[r.kind()]++;
            count++;
        }
    }

    /** The number of operations. */
    public int operations() {
        return operations;
    }

    /** The kind of operation {@code i}: {@link #ALLOC}, {@link #ALIGNED}, {@link #REALLOC} or {@link #FREE}. */
    public int kind(int i) {
        return codes[i] & 3;
    }

    /** The trace ID of operation {@code i}'s block. */
    public int id(int i) {
        return ids[i];
    }

    /** The dense slot of operation {@code i}'s block, below {@link #slotCount()}. */
    public int slot(int i) {
        return slots[i];
    }

    /** The size of an {@code a}, {@code m} or {@code r}; for an {@code f}, the size of the block freed. */
    public long size(int i) {
        return sizes[i];
    }

    /** The alignment of an {@code m}; 1 for every other operation. */
    public long alignment(int i) {
        return 1L << (codes[i] >>> 2 & 63);
    }

    /** The line of the file where operation {@code i} is written. */
    public int line(int i) {
        int j = Arrays.binarySearch(jumpOperation, i);
        if (j < 0) {
            j = -j - 2;
        }
        return jumpLine[j] + (i - jumpOperation[j]);
    }

    /** Operation {@code i} as it is written in the trace ({@code "m 7 100 64"}), for messages. */
    public String describe(int i) {
        int kind = kind(i);
        return switch (kind) {
            case ALLOC, REALLOC -> LETTERS.charAt(kind) + " " + ids[i] + " " + sizes[i];
            case ALIGNED -> "m " + ids[i] + " " + sizes[i] + " " + alignment(i);
            default -> "f " + ids[i];
        };
    }

    /** The file the trace was read from. */
    public String source() {
        return source;
    }

    /** The file name without directories and without {@code .trace}/{@code .gz}. */
    public String name() {
        String name = Path.of(source).getFileName().toString();
        return name.replaceFirst("\\.gz$", "").replaceFirst("\\.trace$", "");
    }

    /** The comment lines before the first operation, with their {@code #}. */
    public List<String> header() {
        return header;
    }

    /** The number of slots: the most blocks live at once. */
    public int slotCount() {
        return slotCount;
    }

    /** The most bytes requested by blocks live at once. */
    public long peakLiveBytes() {
        return peakLiveBytes;
    }

    /** The index of the operation after which {@link #peakLiveBytes()} is first reached; -1 when never. */
    public int peakLiveOperation() {
        return peakLiveOperation;
    }

    /** Blocks still live after the last operation. */
    public int liveAtEnd() {
        return liveAtEnd;
    }

    /** How many operations of {@code kind} the trace has. */
    public int count(int kind) {
        return counts[kind];
    }

    static byte kindOf(byte letter) {
        int k = LETTERS.indexOf(letter);
        return (byte) k;
    }

    static String usage(byte kind) {
        return switch (kind) {
            case ALLOC -> "a ID SIZE";
            case ALIGNED -> "m ID SIZE ALIGN";
            case REALLOC -> "r ID SIZE";
            default -> "f ID";
        };
    }
}
