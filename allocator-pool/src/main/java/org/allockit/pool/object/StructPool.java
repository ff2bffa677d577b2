package org.allockit.pool.object;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.AllocatorStats;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.HeapCorruptionException;
import org.allockit.core.InvalidAddressException;
import org.allockit.pool.Backing;

/**
 * An off-heap pool of fixed-size records (structs), in slabs from a backing: a record is an address,
 * read and written through a flyweight ({@link #wrap} points a reusable Agrona {@link UnsafeBuffer} at
 * it), so millions of records cost no Java object each, only one live bit.
 *
 * <p>{@link #allocate()} takes the lowest free record of the slab it last allocated from (or the first
 * slab with room, or a new slab) and zeroes it; {@link #free(long)} finds the slab by binary search
 * over the slabs, which are kept sorted by address, and rejects addresses that are not live records.
 * {@link #forEach} visits the live records in address order. Empty slabs stay until {@link #trim()}.
 *
 * <p>Invariant: {@code live + free == slabs * recordsPerSlab}, and the slabs do not overlap. Not
 * thread-safe: one owner thread (or external locking).
 */
public final class StructPool implements AutoCloseable {

    private static final String NAME = "struct";
    private static final long SLAB_ALIGNMENT = 64;

    private final Backing backing;
    private final int recordSize;
    private final int recordsPerSlab;
    private Slab[] slabs = new Slab[4];
    private int slabCount;
    private int current = -1;
    private long live;
    private long peakFootprint;
    private boolean closed;

    /** Records of {@code recordSize} bytes (rounded up to 8), {@code recordsPerSlab} per slab. */
    public StructPool(Backing backing, int recordSize, int recordsPerSlab) {
        if (recordSize <= 0 || recordsPerSlab <= 0 || (long) recordSize * recordsPerSlab > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(NAME + ": record size " + recordSize + " and " + recordsPerSlab
                    + " records per slab must be positive and a slab at most 2 GiB");
        }
        this.backing = backing;
        this.recordSize = (recordSize + 7) & -8;
        this.recordsPerSlab = recordsPerSlab;
    }

    /** The size of each record (the requested size rounded up to 8). */
    public int recordSize() {
        return recordSize;
    }

    /** A zeroed record's address. */
    public long allocate() {
        checkOpen("allocate");
        int slab = current;
        if (slab < 0 || slabs[slab].free() == 0) {
            slab = slabWithRoom();
            current = slab;
        }
        long record = slabs[slab].take();
        MemorySegment.ofAddress(record).reinterpret(recordSize).fill((byte) 0);
        live++;
        return record;
    }

    /** Gives a record back. */
    public void free(long record) {
        checkOpen("free");
        Slab slab = slabOf(record, "free");
        long offset = record - slab.base;
        if (offset % recordSize != 0) {
            throw new InvalidAddressException(NAME, "free", record, InvalidAddressException.Reason.INTERIOR,
                    "invalid pointer: inside a record, not at its start");
        }
        if (!slab.give((int) (offset / recordSize))) {
            throw new DoubleFreeException(NAME, "free", record, "the record is already free");
        }
        live--;
    }

    /** Points {@code flyweight} at a record and returns it: no allocation. */
    public UnsafeBuffer wrap(UnsafeBuffer flyweight, long record) {
        flyweight.wrap(record, recordSize);
        return flyweight;
    }

    /** A segment over a record (one small Java object; use {@link #wrap} in loops). */
    public MemorySegment segment(long record) {
        return MemorySegment.ofAddress(record).reinterpret(recordSize);
    }

    /** Calls {@code action} with each live record's address, in address order. */
    public void forEach(LongConsumer action) {
        checkOpen("forEach");
        for (int s = 0; s < slabCount; s++) {
            Slab slab = slabs[s];
            for (int i = slab.nextLive(0); i >= 0; i = slab.nextLive(i + 1)) {
                action.accept(slab.base + (long) i * recordSize);
            }
        }
    }

    /** Live records. */
    public long live() {
        return live;
    }

    /** Footprint (slabs) against live bytes; the difference is the waste. */
    public AllocatorStats stats() {
        checkOpen("stats");
        long footprint = footprint();
        long capacity = (long) slabCount * recordsPerSlab;
        var group = new AllocatorStats.Group("records of " + recordSize + " B", recordSize, live, capacity - live,
                (capacity - live) * recordSize, footprint);
        return new AllocatorStats(live, live * recordSize, live * recordSize, footprint, peakFootprint, 0,
                AllocatorStats.UNKNOWN, AllocatorStats.UNKNOWN, List.of(group));
    }

    /** Checks every slab and the counters. */
    public void verify() {
        checkOpen("verify");
        long free = 0;
        for (int s = 0; s < slabCount; s++) {
            String broken = slabs[s].check();
            if (broken == null && s > 0 && slabs[s - 1].base + slabs[s - 1].bytes() > slabs[s].base) {
                broken = "slabs at 0x" + Long.toHexString(slabs[s - 1].base) + " and 0x"
                        + Long.toHexString(slabs[s].base) + " overlap or are out of order";
            }
            if (broken != null) {
                throw new HeapCorruptionException(NAME, broken);
            }
            free += slabs[s].free();
        }
        if (free + live != (long) slabCount * recordsPerSlab) {
            throw new HeapCorruptionException(NAME, live + " live + " + free + " free records in " + slabCount + " slabs");
        }
    }

    /** Gives the empty slabs back; returns the bytes. */
    public long trim() {
        checkOpen("trim");
        long given = 0;
        int kept = 0;
        for (int s = 0; s < slabCount; s++) {
            Slab slab = slabs[s];
            if (slab.free() == recordsPerSlab) {
                backing.give(slab.base, slab.bytes());
                given += backing.footprint(slab.bytes());
            } else {
                slabs[kept++] = slab;
            }
        }
        Arrays.fill(slabs, kept, slabCount, null);
        slabCount = kept;
        current = -1;
        return given;
    }

    /** Gives every slab back, live records or not. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (int s = 0; s < slabCount; s++) {
            backing.give(slabs[s].base, slabs[s].bytes());
        }
        slabCount = 0;
        live = 0;
        closed = true;
        backing.close();
    }

    private int slabWithRoom() {
        long capacity = (long) slabCount * recordsPerSlab;
        if (live < capacity) {
            for (int s = 0; s < slabCount; s++) {
                if (slabs[s].free() > 0) {
                    return s;
                }
            }
        }
        return newSlab();
    }

    /** Adds a slab, keeping the slabs sorted by address; returns its position. */
    private int newSlab() {
        long bytes = (long) recordSize * recordsPerSlab;
        Slab slab = new Slab(backing.obtain(bytes, SLAB_ALIGNMENT), recordSize, recordsPerSlab);
        if (slabCount == slabs.length) {
            slabs = Arrays.copyOf(slabs, slabCount * 2);
        }
        int at = slabCount;
        while (at > 0 && slabs[at - 1].base > slab.base) {
            slabs[at] = slabs[at - 1];
            at--;
        }
        slabs[at] = slab;
        slabCount++;
        peakFootprint = Math.max(peakFootprint, footprint());
        return at;
    }

    private Slab slabOf(long address, String operation) {
        int low = 0;
        int high = slabCount - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (slabs[mid].base <= address) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (high < 0 || !slabs[high].contains(address)) {
            throw new InvalidAddressException(NAME, operation, address, InvalidAddressException.Reason.FOREIGN,
                    "invalid pointer: in no slab of this pool");
        }
        return slabs[high];
    }

    private long footprint() {
        return slabCount * backing.footprint((long) recordSize * recordsPerSlab);
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorClosedException(NAME, operation);
        }
    }
}
