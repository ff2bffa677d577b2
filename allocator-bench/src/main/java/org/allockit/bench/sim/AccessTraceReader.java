package org.allockit.bench.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Replays a memory-access trace into a {@link Simulator}, parsing bytes in place: the stream is read
 * in 1 MiB blocks, complete lines are parsed straight out of the block (hex and decimal by table,
 * no String per line), and the partial last line is carried to the next block. Lines that are not
 * records (valgrind's {@code ==PID==} lines) are skipped and counted; a malformed record stops the
 * replay with a {@link MalformedTraceException} naming its line. One reader per replay; not
 * thread-safe.
 */
public final class AccessTraceReader {

    /** Lines, records simulated and lines skipped. */
    public record Counts(long lines, long records, long skipped) {
    }

    private static final int BLOCK = 1 << 20;
    private static final int MAX_SIZE_DIGITS = 9;
    private static final int DIN_DEFAULT_SIZE = 4;
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    private final Simulator sim;
    private final TraceFormat format;
    private long lines;
    private long records;
    private long skipped;
    /** The number {@link #hex} or {@link #decimal} parsed last. */
    private long value;

    private AccessTraceReader(Simulator sim, TraceFormat format) {
        this.sim = sim;
        this.format = format;
    }

    /** Replays all of {@code in} (not closed here) into {@code sim}. */
    public static Counts replay(InputStream in, TraceFormat format, Simulator sim) throws IOException {
        AccessTraceReader reader = new AccessTraceReader(sim, format);
        reader.readAll(in);
        return new Counts(reader.lines, reader.records, reader.skipped);
    }

    private void readAll(InputStream in) throws IOException {
        byte[] buf = new byte[BLOCK + 1];
        int filled = 0;
        while (true) {
            int n = in.read(buf, filled, BLOCK - filled);
            if (n < 0) {
                if (filled > 0) {
                    buf[filled++] = '\n';
                    parse(buf, filled);
                }
                return;
            }
            filled += n;
            int end = filled;
            while (end > 0 && buf[end - 1] != '\n') {
                end--;
            }
            if (end == 0) {
                if (filled == BLOCK) {
                    throw new MalformedTraceException(lines + 1, text(buf, 0, 80), "line longer than " + BLOCK + " bytes");
                }
                continue;
            }
            parse(buf, end);
            System.arraycopy(buf, end, buf, 0, filled - end);
            filled -= end;
        }
    }

    /** Parses the complete lines in {@code buf[0, end)}; {@code buf[end - 1]} is a newline. */
    private void parse(byte[] buf, int end) {
        if (format == TraceFormat.LACKEY) {
            parseLackey(buf, end);
        } else {
            parseDin(buf, end);
        }
    }

    private void parseLackey(byte[] buf, int end) {
        Simulator s = sim;
        long line = lines;
        long skip = skipped;
        int p = 0;
        while (p < end) {
            int start = p;
            line++;
            byte c = buf[p];
            int kind;
            if (c == 'I' && buf[p + 1] == ' ' && buf[p + 2] == ' ') {
                kind = 0;
            } else if (c == ' ' && buf[p + 1] != '\n' && buf[p + 2] == ' ') {
                byte k = buf[p + 1];
                kind = k == 'L' ? 1 : k == 'S' ? 2 : k == 'M' ? 3 : -1;
            } else if (c == '=' || c == '-') {
                while (buf[p] != '\n') {
                    p++;
                }
                p++;
                skip++;
                continue;
            } else {
                kind = -1;
            }
            if (kind < 0) {
                throw malformed(buf, start, line, "not a lackey record (I, L, S or M)");
            }
            p = hex(buf, p + 3);
            long address = value;
            if (p < 0 || buf[p] != ',') {
                throw malformed(buf, start, line, "expected a hex address and a comma");
            }
            p = decimal(buf, p + 1);
            int size = (int) value;
            if (p >= 0 && buf[p] == '\r') {
                p++;
            }
            if (p < 0 || buf[p] != '\n') {
                throw malformed(buf, start, line, "expected a decimal size from 1 at the end of the line");
            }
            p++;
            switch (kind) {
                case 0 -> s.fetch(address, size);
                case 1 -> s.read(address, size);
                case 2 -> s.write(address, size);
                default -> s.modify(address, size);
            }
        }
        records += line - lines - (skip - skipped);
        lines = line;
        skipped = skip;
    }

    private void parseDin(byte[] buf, int end) {
        Simulator s = sim;
        long line = lines;
        long skip = skipped;
        int p = 0;
        while (p < end) {
            int start = p;
            line++;
            int label = buf[p] - '0';
            if (label < 0 || label > 4 || (buf[p + 1] != ' ' && buf[p + 1] != '\t')) {
                throw malformed(buf, start, line, "expected a label 0-4 and a space");
            }
            p = blanks(buf, p + 1);
            if (buf[p] == '0' && (buf[p + 1] == 'x' || buf[p + 1] == 'X')) {
                p += 2;
            }
            p = hex(buf, p);
            long address = value;
            if (p < 0) {
                throw malformed(buf, start, line, "expected a hex address");
            }
            int size = DIN_DEFAULT_SIZE;
            p = blanks(buf, p);
            if (buf[p] != '\n' && buf[p] != '\r') {
                p = decimal(buf, p);
                size = (int) value;
                if (p < 0) {
                    throw malformed(buf, start, line, "expected a decimal size from 1");
                }
                p = blanks(buf, p);
            }
            if (buf[p] == '\r') {
                p++;
            }
            if (buf[p] != '\n') {
                throw malformed(buf, start, line, "unexpected text after the record");
            }
            p++;
            switch (label) {
                case 0 -> s.read(address, size);
                case 1 -> s.write(address, size);
                case 2 -> s.fetch(address, size);
                default -> skip++;
            }
        }
        records += line - lines - (skip - skipped);
        lines = line;
        skipped = skip;
    }

    /** Parses 1 to 16 hex digits from {@code p} into {@link #value}; returns the position after them, or -1. */
    private int hex(byte[] buf, int p) {
        int start = p;
        long v = 0;
        int h;
        while ((h = HEX[buf[p] & 0xff]) >= 0) {
            v = (v << 4) | h;
            p++;
        }
        value = v;
        return p == start || p - start > 16 ? -1 : p;
    }

    /** Parses a decimal from 1 with at most 9 digits into {@link #value}; returns the position after it, or -1. */
    private int decimal(byte[] buf, int p) {
        int start = p;
        long v = 0;
        int d;
        while ((d = buf[p] - '0') >= 0 && d <= 9) {
            v = v * 10 + d;
            p++;
        }
        value = v;
        return v == 0 || p - start > MAX_SIZE_DIGITS ? -1 : p;
    }

    private static int blanks(byte[] buf, int p) {
        while (buf[p] == ' ' || buf[p] == '\t') {
            p++;
        }
        return p;
    }

    private static MalformedTraceException malformed(byte[] buf, int start, long line, String problem) {
        int end = start;
        while (buf[end] != '\n' && end - start < 120) {
            end++;
        }
        return new MalformedTraceException(line, text(buf, start, end - start), problem);
    }

    private static String text(byte[] buf, int start, int length) {
        return new String(buf, start, length, StandardCharsets.ISO_8859_1);
    }
}
