package org.allockit.core.trace;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A streaming, validating reader of the trace format ({@code TRACE-FORMAT.md}, version 1), plain or
 * gzip-compressed. {@link #next()} moves to the next operation and checks it against everything
 * before it, so a malformed trace is rejected with a {@link TraceFormatException} naming the file, the
 * line and what is wrong, and every operation that was returned is valid. Reading the whole trace
 * ({@link Trace#read(Path)}) therefore validates it before any replay starts.
 *
 * <p>Besides the fields of the line, each operation gets a <em>slot</em>: a dense number for its block
 * (0, 1, 2, ..., reused after a free), so replayers can index arrays by it whatever the IDs are.
 * Parses bytes directly and allocates nothing per line. Not thread-safe.
 */
public final class TraceReader implements Closeable {

    private static final int MAX_QUOTED = 60;

    private final String source;
    private final InputStream in;
    private final boolean compressed;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private int lineNumber;
    private boolean endOfInput;

    private final BlockIds ids = new BlockIds();
    private long[] sizeOfSlot = new long[16];
    private final List<String> header = new ArrayList<>();

    private byte kind;
    private int id;
    private int slot;
    private long size;
    private int alignmentShift;

    private long operations;
    private long liveBytes;
    private long peakLiveBytes;
    private long peakLiveOperation = -1;

    /** Reads {@code in}, which is gzip-compressed when {@code compressed}; {@code source} names it in errors. */
    public TraceReader(InputStream in, String source, boolean compressed) throws IOException {
        this.source = source;
        this.compressed = compressed;
        try {
            this.in = compressed ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            in.close();
            throw new TraceFormatException(source, 0, "not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    /** Opens a trace file; it is read as gzip when its first bytes are gzip's magic number. */
    public static TraceReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        if (!gzip && file.getFileName().toString().endsWith(".gz")) {
            raw.close();
            throw new TraceFormatException(file.toString(), 0, "named .gz but not gzip-compressed");
        }
        return new TraceReader(raw, file.toString(), gzip);
    }

    /**
     * Moves to the next operation; false at the end of the trace.
     *
     * @throws TraceFormatException when the next operation (or the gzip stream) is malformed
     */
    public boolean next() throws IOException {
        while (readLine()) {
            lineNumber++;
            int start = skipBlanks(0);
            if (start == lineLength) {
                continue;
            }
            if (line[start] == '#') {
                if (operations == 0) {
                    header.add(new String(line, start, lineLength - start, StandardCharsets.UTF_8));
                }
                continue;
            }
            parse(start);
            operations++;
            return true;
        }
        return false;
    }

    private void parse(int start) throws TraceFormatException {
        int end = fieldEnd(start);
        byte letter = line[start];
        if (end - start != 1 || Trace.kindOf(letter) < 0) {
            throw malformed("unknown operation '" + text(start, end) + "' (expected a, m, r or f)");
        }
        kind = Trace.kindOf(letter);
        int fields = kind == Trace.ALIGNED ? 3 : kind == Trace.FREE ? 1 : 2;
        int at = skipBlanks(end);
        id = (int) number(at, "ID", Integer.MAX_VALUE);
        at = skipBlanks(fieldEnd(at));
        if (fields >= 2) {
            size = number(at, "SIZE", Long.MAX_VALUE);
            at = skipBlanks(fieldEnd(at));
        }
        alignmentShift = 0;
        if (fields == 3) {
            long alignment = number(at, "ALIGN", Long.MAX_VALUE);
            if (Long.bitCount(alignment) != 1) {
                throw malformed("ALIGN " + alignment + " is not a power of two");
            }
            alignmentShift = Long.numberOfTrailingZeros(alignment);
            at = skipBlanks(fieldEnd(at));
        }
        if (at != lineLength) {
            throw malformed("extra field '" + text(at, fieldEnd(at)) + "' (expected " + Trace.usage(kind) + ")");
        }
        track();
    }

    /** Checks the operation against the live blocks and updates them. */
    private void track() throws TraceFormatException {
        int held = ids.slotOf(id);
        if (kind == Trace.ALLOC || kind == Trace.ALIGNED) {
            if (held >= 0) {
                throw malformed("ID " + id + " is already live (allocated at line " + ids.allocatedAt(held) + ")");
            }
            slot = ids.add(id, lineNumber);
            if (slot == sizeOfSlot.length) {
                sizeOfSlot = Arrays.copyOf(sizeOfSlot, slot * 2);
            }
            sizeOfSlot[slot] = size;
            addLive(size);
            return;
        }
        if (held < 0) {
            throw malformed("ID " + id + " is not live");
        }
        slot = held;
        if (kind == Trace.REALLOC) {
            addLive(size - sizeOfSlot[slot]);
            sizeOfSlot[slot] = size;
        } else {
            size = sizeOfSlot[slot];
            liveBytes -= size;
            ids.remove(id);
        }
    }

    private void addLive(long delta) throws TraceFormatException {
        try {
            liveBytes = Math.addExact(liveBytes, delta);
        } catch (ArithmeticException e) {
            throw malformed("the live blocks add up to more than " + Long.MAX_VALUE + " bytes");
        }
        if (liveBytes > peakLiveBytes) {
            peakLiveBytes = liveBytes;
            peakLiveOperation = operations;
        }
    }

    /** Parses the decimal field at {@code at}, named {@code name}, no larger than {@code max}. */
    private long number(int at, String name, long max) throws TraceFormatException {
        if (at == lineLength) {
            throw malformed("missing " + name + " (expected " + Trace.usage(kind) + ")");
        }
        int end = fieldEnd(at);
        if (line[at] == '-') {
            throw malformed(name + " '" + text(at, end) + "' is negative");
        }
        long value = 0;
        for (int i = at; i < end; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw malformed(name + " '" + text(at, end) + "' is not a decimal number");
            }
            if (value > (max - digit) / 10) {
                throw malformed(name + " " + text(at, end) + " is too large (at most " + max + ")");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private TraceFormatException malformed(String reason) {
        return new TraceFormatException(source, lineNumber, "\"" + text(0, lineLength).strip() + "\": " + reason);
    }

    private String text(int from, int to) {
        String s = new String(line, from, to - from, StandardCharsets.UTF_8);
        return s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s;
    }

    private int skipBlanks(int at) {
        while (at < lineLength && (line[at] == ' ' || line[at] == '\t')) {
            at++;
        }
        return at;
    }

    private int fieldEnd(int at) {
        while (at < lineLength && line[at] != ' ' && line[at] != '\t') {
            at++;
        }
        return at;
    }

    /** Reads the next line (without its {@code \n} or {@code \r\n}) into {@code line}; false at the end. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        boolean ended = false;
        while (!ended) {
            if (position == limit && !fill()) {
                if (lineLength == 0) {
                    return false;
                }
                break;
            }
            int newline = position;
            while (newline < limit && buffer[newline] != '\n') {
                newline++;
            }
            append(position, newline);
            ended = newline < limit;
            position = ended ? newline + 1 : newline;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return true;
    }

    private void append(int from, int to) {
        int length = to - from;
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }

    private boolean fill() throws IOException {
        if (endOfInput) {
            return false;
        }
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (IOException e) {
            if (!compressed) {
                throw e;
            }
            throw new TraceFormatException(source, lineNumber + 1, "broken gzip stream (" + e.getMessage() + ")", e);
        }
        if (n <= 0) {
            endOfInput = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** The kind of the current operation: {@link Trace#ALLOC}, {@link Trace#ALIGNED}, {@link Trace#REALLOC} or {@link Trace#FREE}. */
    public byte kind() {
        return kind;
    }

    /** The block ID of the current operation, as written in the trace. */
    public int id() {
        return id;
    }

    /** The dense slot of the current operation's block. */
    public int slot() {
        return slot;
    }

    /** The size of an {@code a}, {@code m} or {@code r}; for an {@code f}, the size of the block freed. */
    public long size() {
        return size;
    }

    /** log2 of the alignment of an {@code m}; 0 for other operations. */
    public int alignmentShift() {
        return alignmentShift;
    }

    /** The line of the current operation (1-based). */
    public int line() {
        return lineNumber;
    }

    /** Operations read so far. */
    public long operations() {
        return operations;
    }

    /** Bytes requested by the blocks live now. */
    public long liveBytes() {
        return liveBytes;
    }

    /** The most bytes live at once so far. */
    public long peakLiveBytes() {
        return peakLiveBytes;
    }

    /** The index of the operation after which {@link #peakLiveBytes()} was first reached; -1 before any. */
    public long peakLiveOperation() {
        return peakLiveOperation;
    }

    /** Blocks live now. */
    public int liveBlocks() {
        return ids.live();
    }

    /** Slots handed out so far: the most blocks live at once. */
    public int slotCount() {
        return ids.slotCount();
    }

    /** The comment lines before the first operation (with their {@code #}). */
    public List<String> header() {
        return List.copyOf(header);
    }

    /** The file or stream name used in error messages. */
    public String source() {
        return source;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
