package org.allockit.core.os;

/** The OS refused a page operation; carries the operation, its arguments and {@code errno}. */
public final class PageSourceException extends RuntimeException {

    /** {@code ENOMEM} on Linux: no address space or memory left. */
    public static final int ENOMEM = 12;

    private final int errno;

    public PageSourceException(String message, int errno) {
        super(message + (errno != 0 ? " (errno " + errno + ": " + OsPages.describeErrno(errno) + ")" : ""));
        this.errno = errno;
    }

    /** The C {@code errno} the call left, or 0 when the failure did not come from the OS. */
    public int errno() {
        return errno;
    }

    /** True when the failure means memory or address space ran out. */
    public boolean isOutOfMemory() {
        return errno == ENOMEM || errno == 0;
    }
}
