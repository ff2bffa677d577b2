package org.allockit.core.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set as the kernel counts it ({@code /proc/self/statm}, second field, in
 * pages). Cheap enough to sample every few thousand operations, not on a fast path. It allocates
 * nothing on the Java heap once open: the file stays open and is read again from offset 0 (the
 * kernel regenerates it on each read) into one direct buffer, so sampling during a measurement
 * does not itself make new heap pages resident. Thread-safe: reads are serialised on a lock.
 */
public final class ResidentSet {

    private static final Path STATM = Path.of("/proc/self/statm");

    private static final Object LOCK = new Object();
    private static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(256);
    private static FileChannel channel;

    private ResidentSet() {
    }

    /** True where {@code /proc/self/statm} can be read. */
    public static boolean isSupported() {
        return Files.isReadable(STATM);
    }

    /** Resident bytes now, or -1 where the system does not say. */
    public static long bytes() {
        synchronized (LOCK) {
            try {
                if (channel == null) {
                    channel = FileChannel.open(STATM);
                }
                BUFFER.clear();
                channel.read(BUFFER, 0);
                BUFFER.flip();
                long pages = secondField();
                return pages < 0 ? -1 : pages * (OsPages.isSupported() ? OsPages.INSTANCE.pageSize() : 4096);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** The second space-separated decimal field of the buffer ("size resident shared ..."), or -1. */
    private static long secondField() {
        int i = 0;
        int limit = BUFFER.limit();
        while (i < limit && BUFFER.get(i) != ' ') {
            i++;
        }
        i++;
        long value = 0;
        int digits = 0;
        for (; i < limit && BUFFER.get(i) >= '0' && BUFFER.get(i) <= '9'; i++, digits++) {
            value = value * 10 + (BUFFER.get(i) - '0');
        }
        return digits == 0 ? -1 : value;
    }
}
