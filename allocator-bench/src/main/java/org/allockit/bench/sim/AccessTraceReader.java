package org.allockit.bench.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Replays a memory-access trace into a {@link Simulator}, parsing bytes in place: the stream is read
 * in 1 MiB blocks, complete lines are parsed straight out of the block (hex and decimal by table,
 * no String per line), and the partial last line is carried to the next block. Lines that are not
 * records (valgrind's {@code ==PID==} lines) are skipped and counted; a malformed record stops the
 * replay with a {@link MalformedTraceException} naming its line.
 *
 * <p>Parsing and simulating overlap: a helper thread parses records into {@link Batch}es of primitive
 * arrays, the caller's thread simulates them in order; a fixed set of batches goes round between two
 * queues, so the steady state allocates nothing. Only the caller's thread touches the simulator. One
 * reader per replay.
 */
public final class AccessTraceReader {

    /** Lines, records simulated and lines skipped. */
    public record Counts(long lines, long records, long skipped) {
    }

    private static final int BLOCK = 1 << 20;
    private static final int MAX_SIZE_DIGITS = 9;
    private static final int DIN_DEFAULT_SIZE = 4;
    private static final int BATCHES = 4;
    private static final byte FETCH = 0;
    private static final byte READ = 1;
    private static final byte WRITE = 2;
    private static final byte MODIFY = 3;
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

    /** Parsed records on their way from the parsing thread to the simulating one. */
    static final class Batch {
        static final int SIZE = 1 << 16;
        final long[] addresses = new long[SIZE];
        final int[] sizes = new int[SIZE];
        final byte[] kinds = new byte[SIZE];
        int count;
        /** Set on the batch that ends the stream: nothing follows it. */
        boolean last;
        /** Why parsing stopped early, on the last batch. */
        Throwable failure;

        void simulate(Simulator sim) {
            long[] a = addresses;
            int[] z = sizes;
            byte[] k = kinds;
            for (int i = 0; i < count; i++) {
                switch (k[i]) {
                    case FETCH -> sim.fetch(a[i], z[i]);
                    case READ -> sim.read(a[i], z[i]);
                    case WRITE -> sim.write(a[i], z[i]);
                    default -> sim.modify(a[i], z[i]);
                }
            }
        }
    }

    /** Thrown inside the parsing thread when the replay is abandoned. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final TraceFormat format;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private Batch batch;
    private long lines;
    private long skipped;
    /** The number {@link #hex} or {@link #decimal} parsed last. */
    private long value;

    private AccessTraceReader(TraceFormat format) {
        this.format = format;
        for (int i = 0; i < BATCHES; i++) {
            empty.add(new Batch());
        }
    }

    /** Replays all of {@code in} (not closed here) into {@code sim}. */
    public static Counts replay(InputStream in, TraceFormat format, Simulator sim) throws IOException {
        AccessTraceReader reader = new AccessTraceReader(format);
        Thread parser = Thread.ofPlatform().daemon().name("trace-parser").start(() -> reader.parseAll(in));
        try {
            reader.simulateAll(sim);
            parser.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("trace replay interrupted");
        } finally {
            parser.interrupt();
        }
        return new Counts(reader.lines, reader.lines - reader.skipped, reader.skipped);
    }

    /** The caller's side: simulates batches in order until the last, then rethrows a parsing failure. */
    private void simulateAll(Simulator sim) throws IOException, InterruptedException {
        while (true) {
            Batch b = full.take();
            b.simulate(sim);
            if (b.last) {
                if (b.failure instanceof IOException e) {
                    throw e;
                }
                if (b.failure instanceof RuntimeException e) {
                    throw e;
                }
                if (b.failure instanceof Error e) {
                    throw e;
                }
                return;
            }
            b.count = 0;
            empty.put(b);
        }
    }

    /** The parsing thread: reads everything, hands every batch over, the last one marked. */
    private void parseAll(InputStream in) {
        try {
            batch = empty.take();
            try {
                readAll(in);
            } catch (Abandoned e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
                batch.failure = e;
            }
            batch.last = true;
            full.put(batch);
        } catch (InterruptedException e) {
            // The simulating side gave up; nothing waits for more batches.
        }
    }

    private void emit(byte kind, long address, int size) {
        Batch b = batch;
        int n = b.count;
        b.addresses[n] = address;
        b.sizes[n] = size;
        b.kinds[n] = kind;
        b.count = n + 1;
        if (n + 1 == Batch.SIZE) {
            handOver();
        }
    }

    private void handOver() {
        try {
            full.put(batch);
            batch = empty.take();
        } catch (InterruptedException e) {
            throw new Abandoned();
        }
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
        long line = lines;
        long skip = skipped;
        int p = 0;
        while (p < end) {
            int start = p;
            line++;
            byte c = buf[p];
            byte kind;
            if (c == 'I' && buf[p + 1] == ' ' && buf[p + 2] == ' ') {
                kind = FETCH;
            } else if (c == ' ' && buf[p + 1] != '\n' && buf[p + 2] == ' ') {
                byte k = buf[p + 1];
                kind = k == 'L' ? READ : k == 'S' ? WRITE : k == 'M' ? MODIFY : -1;
            } else if (c == '=' || c == '-' || c == '*') {
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
            emit(kind, address, size);
        }
        lines = line;
        skipped = skip;
    }

    private void parseDin(byte[] buf, int end) {
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
                case 0 -> emit(READ, address, size);
                case 1 -> emit(WRITE, address, size);
                case 2 -> emit(FETCH, address, size);
                default -> skip++;
            }
        }
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
