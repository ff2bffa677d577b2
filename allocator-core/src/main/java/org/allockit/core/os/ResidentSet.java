package org.allockit.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set as the kernel counts it ({@code /proc/self/statm}, second field, in
 * pages). Reads a small file: cheap enough to sample every few thousand operations, not on a fast path.
 */
public final class ResidentSet {

    private static final Path STATM = Path.of("/proc/self/statm");

    private ResidentSet() {
    }

    /** True where {@code /proc/self/statm} can be read. */
    public static boolean isSupported() {
        return Files.isReadable(STATM);
    }

    /** Resident bytes now, or -1 where the system does not say. */
    public static long bytes() {
        try {
            String text = Files.readString(STATM);
            int first = text.indexOf(' ');
            int second = text.indexOf(' ', first + 1);
            long pages = Long.parseLong(text.substring(first + 1, second));
            return pages * (OsPages.isSupported() ? OsPages.INSTANCE.pageSize() : 4096);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
