package org.allockit.core.tc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.allockit.core.MemoryProbe;

/** A probe that counts what the heap reports: metadata reads and writes, blocks handed out, huge-page advice. */
final class RecordingProbe implements MemoryProbe {

    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong blocks = new AtomicLong();
    final List<Long> hugePageRanges = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void metadataRead(long address, int size) {
        reads.incrementAndGet();
    }

    @Override
    public void metadataWrite(long address, int size) {
        writes.incrementAndGet();
    }

    @Override
    public void blockAllocated(long address, long requested, long usable) {
        blocks.incrementAndGet();
    }

    @Override
    public void hugePages(long address, long bytes) {
        hugePageRanges.add(bytes);
    }
}
