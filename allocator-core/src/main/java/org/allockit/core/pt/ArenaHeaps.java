package org.allockit.core.pt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.allockit.core.os.PageSource;

/**
 * The page source of one arena: it reserves heaps — windows of {@code heapSize} bytes aligned to
 * that size, marked in the {@link HeapTable} as the arena's — and carves the arena heap's segment
 * requests out of them first-fit. A range given back is decommitted ({@code MADV_DONTNEED}) and
 * reused; a heap whose every range was given back is unmapped (glibc's {@code heap_trim} of an empty
 * non-main heap).
 *
 * <p>Invariant per heap: {@code used + sum(free ranges) + (end - bump) == heapSize}; free ranges are
 * disjoint and coalesced. Guarded by the arena's lock (its {@code DlHeap} is the only caller).
 */
final class ArenaHeaps implements PageSource {

    /** One heap: a bump pointer and the ranges given back below it. */
    private static final class Heap {
        final long base;
        long bump;
        long used;
        final TreeMap<Long, Long> free = new TreeMap<>();

        Heap(long base) {
            this.base = base;
            this.bump = base;
        }
    }

    private final PageSource os;
    private final HeapTable table;
    private final byte mark;
    private final long heapSize;
    private final List<Heap> heaps = new ArrayList<>();
    private long reserved;

    ArenaHeaps(PageSource os, HeapTable table, int arenaIndex, long heapSize) {
        this.os = os;
        this.table = table;
        this.mark = HeapTable.arenaMark(arenaIndex);
        this.heapSize = heapSize;
    }

    @Override
    public long pageSize() {
        return os.pageSize();
    }

    @Override
    public long reserve(long bytes, long alignment) {
        if (bytes > heapSize || alignment > pageSize()) {
            throw new IllegalArgumentException("an arena heap serves at most " + heapSize + " bytes at page alignment, not "
                    + bytes + " at " + alignment);
        }
        for (Heap heap : heaps) {
            long address = carve(heap, bytes);
            if (address != 0) {
                return address;
            }
        }
        Heap heap = new Heap(os.reserve(heapSize, heapSize));
        table.mark(heap.base, heapSize, mark);
        heaps.add(heap);
        return carve(heap, bytes);
    }

    private long carve(Heap heap, long bytes) {
        for (Map.Entry<Long, Long> range : heap.free.entrySet()) {
            // Read both before removing: TreeMap may reuse a removed entry for its successor's key and value.
            long start = range.getKey();
            long length = range.getValue();
            if (length >= bytes) {
                heap.free.remove(start);
                if (length > bytes) {
                    heap.free.put(start + bytes, length - bytes);
                }
                return taken(heap, start, bytes);
            }
        }
        if (heap.base + heapSize - heap.bump >= bytes) {
            long start = heap.bump;
            heap.bump += bytes;
            return taken(heap, start, bytes);
        }
        return 0;
    }

    private long taken(Heap heap, long start, long bytes) {
        heap.used += bytes;
        reserved += bytes;
        return start;
    }

    @Override
    public void release(long address, long bytes) {
        Heap heap = heapOf(address);
        os.decommit(address, bytes);
        heap.used -= bytes;
        reserved -= bytes;
        long start = address;
        long length = bytes;
        Map.Entry<Long, Long> before = heap.free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            heap.free.remove(before.getKey());
            start = before.getKey();
            length += before.getValue();
        }
        Long after = heap.free.containsKey(start + length) ? heap.free.remove(start + length) : null;
        if (after != null) {
            length += after;
        }
        if (start + length == heap.bump) {
            heap.bump = start;
        } else {
            heap.free.put(start, length);
        }
        if (heap.used == 0) {
            table.mark(heap.base, heapSize, (byte) 0);
            os.release(heap.base, heapSize);
            heaps.remove(heap);
        }
    }

    @Override
    public void decommit(long address, long bytes) {
        os.decommit(address, bytes);
    }

    @Override
    public void lazyFree(long address, long bytes) {
        os.lazyFree(address, bytes);
    }

    @Override
    public void adviseHugePages(long address, long bytes) {
        os.adviseHugePages(address, bytes);
    }

    @Override
    public long reservedBytes() {
        return reserved;
    }

    /** Heaps this arena holds now. */
    int heapCount() {
        return heaps.size();
    }

    private Heap heapOf(long address) {
        for (Heap heap : heaps) {
            if (address >= heap.base && address < heap.base + heapSize) {
                return heap;
            }
        }
        throw new IllegalArgumentException("0x" + Long.toHexString(address) + " is in no heap of this arena");
    }
}
