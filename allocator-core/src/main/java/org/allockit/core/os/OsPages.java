package org.allockit.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pages from the Linux kernel through FFM downcalls: {@code mmap} to reserve
 * ({@code PROT_READ|PROT_WRITE}, {@code MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE}, nothing touched),
 * {@code munmap} to release, {@code madvise} to decommit ({@code MADV_DONTNEED}), lazily free
 * ({@code MADV_FREE}) and ask for huge pages ({@code MADV_HUGEPAGE}). Each call captures
 * {@code errno}, which a failure carries in its {@link PageSourceException}. Thread-safe: the
 * kernel calls are, and the reserved-bytes counter is atomic.
 */
public final class OsPages implements PageSource {

    /** The one instance: the kernel's page tables are process-wide anyway. */
    public static final OsPages INSTANCE;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MREMAP_MAYMOVE = 1;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_FREE = 8;
    private static final int MADV_HUGEPAGE = 14;
    private static final int EINVAL = 22;
    private static final int SC_PAGESIZE = 30;

    private static final boolean SUPPORTED;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MREMAP;
    private static final MethodHandle STRERROR;
    private static final long PAGE_SIZE;

    static {
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        MethodHandle mremap = null;
        MethodHandle strerror = null;
        long pageSize = 4096;
        Linker linker = Linker.nativeLinker();
        CALL_STATE = Linker.Option.captureStateLayout();
        ERRNO = CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        if (linux) {
            var lookup = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            mmap = linker.downcallHandle(lookup.findOrThrow("mmap"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    errno);
            munmap = linker.downcallHandle(lookup.findOrThrow("munmap"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), errno);
            madvise = linker.downcallHandle(lookup.findOrThrow("madvise"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT), errno);
            // mremap is variadic (a fifth new_address argument with MREMAP_FIXED): declared so, passing 0.
            mremap = linker.downcallHandle(lookup.findOrThrow("mremap"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    errno, Linker.Option.firstVariadicArg(4));
            strerror = linker.downcallHandle(lookup.findOrThrow("strerror"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle sysconf = linker.downcallHandle(lookup.findOrThrow("sysconf"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            try {
                pageSize = (long) sysconf.invokeExact(SC_PAGESIZE);
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
        SUPPORTED = linux;
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
        MREMAP = mremap;
        STRERROR = strerror;
        PAGE_SIZE = pageSize;
        INSTANCE = linux ? new OsPages() : null;
    }

    private final AtomicLong reserved = new AtomicLong();

    private OsPages() {
    }

    /** True on Linux, where the downcalls exist. */
    public static boolean isSupported() {
        return SUPPORTED;
    }

    @Override
    public long pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public long reserve(long bytes, long alignment) {
        checkRange("reserve", 0, bytes);
        if (alignment <= PAGE_SIZE) {
            long address = map(bytes);
            reserved.addAndGet(bytes);
            return address;
        }
        // Over-reserve by the alignment, then unmap the unaligned head and the tail beyond the range.
        long padded = bytes + alignment;
        long raw = map(padded);
        long aligned = (raw + alignment - 1) & -alignment;
        long head = aligned - raw;
        long tail = padded - head - bytes;
        if (head > 0) {
            unmap(raw, head);
        }
        if (tail > 0) {
            unmap(aligned + bytes, tail);
        }
        reserved.addAndGet(bytes);
        return aligned;
    }

    @Override
    public void release(long address, long bytes) {
        checkRange("release", address, bytes);
        unmap(address, bytes);
        reserved.addAndGet(-bytes);
    }

    @Override
    public long resize(long address, long oldBytes, long newBytes) {
        checkRange("mremap", address, oldBytes);
        checkRange("mremap", address, newBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long moved = (long) MREMAP.invokeExact(state, address, oldBytes, newBytes, MREMAP_MAYMOVE, 0L);
            if (moved == -1L) {
                throw new PageSourceException("mremap(0x" + Long.toHexString(address) + ", " + oldBytes + ", " + newBytes
                        + ") failed", (int) ERRNO.get(state, 0L));
            }
            reserved.addAndGet(newBytes - oldBytes);
            return moved;
        } catch (PageSourceException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mremap downcall failed", t);
        }
    }

    @Override
    public void decommit(long address, long bytes) {
        advise("madvise(MADV_DONTNEED)", address, bytes, MADV_DONTNEED);
    }

    @Override
    public void lazyFree(long address, long bytes) {
        try {
            advise("madvise(MADV_FREE)", address, bytes, MADV_FREE);
        } catch (PageSourceException e) {
            if (e.errno() != EINVAL) {
                throw e;
            }
            decommit(address, bytes); // kernels before 4.5 have no MADV_FREE
        }
    }

    @Override
    public void adviseHugePages(long address, long bytes) {
        try {
            advise("madvise(MADV_HUGEPAGE)", address, bytes, MADV_HUGEPAGE);
        } catch (PageSourceException e) {
            if (e.errno() != EINVAL) {
                throw e;
            }
            // EINVAL: the kernel has no transparent huge pages; the advice is only a hint.
        }
    }

    @Override
    public long reservedBytes() {
        return reserved.get();
    }

    private long map(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long address = (long) MMAP.invokeExact(state, 0L, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (address == -1L) {
                throw new PageSourceException("mmap(" + bytes + " bytes) failed", (int) ERRNO.get(state, 0L));
            }
            return address;
        } catch (PageSourceException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    private void unmap(long address, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MUNMAP.invokeExact(state, address, bytes);
            if (rc != 0) {
                throw new PageSourceException("munmap(0x" + Long.toHexString(address) + ", " + bytes + ") failed",
                        (int) ERRNO.get(state, 0L));
            }
        } catch (PageSourceException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    private void advise(String what, long address, long bytes, int advice) {
        checkRange(what, address, bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MADVISE.invokeExact(state, address, bytes, advice);
            if (rc != 0) {
                throw new PageSourceException(what + " on 0x" + Long.toHexString(address) + "+" + bytes + " failed",
                        (int) ERRNO.get(state, 0L));
            }
        } catch (PageSourceException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what + " downcall failed", t);
        }
    }

    private static void checkRange(String what, long address, long bytes) {
        if (bytes <= 0 || (bytes & (PAGE_SIZE - 1)) != 0 || (address & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException(what + ": address 0x" + Long.toHexString(address) + " and length "
                    + bytes + " must be positive multiples of the page size " + PAGE_SIZE);
        }
    }

    /** The C library's words for an {@code errno}. */
    static String describeErrno(int errno) {
        if (STRERROR == null) {
            return "error " + errno;
        }
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }
}
