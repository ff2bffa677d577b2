package org.allockit.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portable page source for systems without {@code mmap}: each reservation is one
 * {@code Arena.ofShared()} allocation (zeroed and committed at once, unlike mmap), released by closing
 * its arena. Decommit can only zero the bytes; a partial release zeroes the range and keeps it
 * reserved until the rest of its reservation is released (the JDK cannot free part of an arena),
 * which {@link #reservedBytes()} shows. Thread-safe.
 */
public final class ArenaPages implements PageSource {

    private static final long PAGE_SIZE = 4096;

    /** A live reservation: its arena and how many of its bytes are still not released. */
    private static final class Reservation {
        final Arena arena;
        final long bytes;
        long released;

        Reservation(Arena arena, long bytes) {
            this.arena = arena;
            this.bytes = bytes;
        }
    }

    private final Map<Long, Reservation> reservations = new ConcurrentHashMap<>();
    private final AtomicLong reserved = new AtomicLong();

    @Override
    public long pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public long reserve(long bytes, long alignment) {
        if (bytes <= 0 || (bytes & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("reserve: length " + bytes + " must be a positive multiple of " + PAGE_SIZE);
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(bytes, Math.max(alignment, PAGE_SIZE));
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new PageSourceException("Arena.allocate(" + bytes + ") failed: " + e.getMessage(), PageSourceException.ENOMEM);
        }
        reservations.put(segment.address(), new Reservation(arena, bytes));
        reserved.addAndGet(bytes);
        return segment.address();
    }

    @Override
    public void release(long address, long bytes) {
        Map.Entry<Long, Reservation> owner = owner(address, bytes, "release");
        Reservation r = owner.getValue();
        MemorySegment.ofAddress(address).reinterpret(bytes).fill((byte) 0);
        synchronized (r) {
            r.released += bytes;
            if (r.released < r.bytes) {
                return;
            }
        }
        reservations.remove(owner.getKey());
        r.arena.close();
        reserved.addAndGet(-r.bytes);
    }

    @Override
    public void decommit(long address, long bytes) {
        owner(address, bytes, "decommit");
        MemorySegment.ofAddress(address).reinterpret(bytes).fill((byte) 0);
    }

    @Override
    public long reservedBytes() {
        return reserved.get();
    }

    private Map.Entry<Long, Reservation> owner(long address, long bytes, String what) {
        for (Map.Entry<Long, Reservation> e : reservations.entrySet()) {
            long start = e.getKey();
            if (address >= start && address + bytes <= start + e.getValue().bytes) {
                return e;
            }
        }
        throw new IllegalArgumentException(what + ": 0x" + Long.toHexString(address) + "+" + bytes
                + " is not inside any reservation of this page source");
    }
}
