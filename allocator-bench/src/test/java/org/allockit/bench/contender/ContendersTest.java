package org.allockit.bench.contender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContendersTest {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Test
    void namesListTheRegistryThenTheBaselines() {
        List<String> names = Contenders.names();
        assertTrue(names.contains(Contenders.MALLOC));
        assertEquals(List.of(Contenders.ARENA_CONFINED, Contenders.ARENA_SLICING, Contenders.DIRECT_BUFFER,
                Contenders.NETTY_POOLED, Contenders.NETTY_ADAPTIVE), names.subList(names.size() - 5, names.size()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Contenders.create("jemalloc"));
        assertTrue(e.getMessage().contains("netty-pooled"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"malloc", "arena-confined", "arena-slicing", "direct-buffer", "netty-pooled", "netty-adaptive"})
    void blocksAreDistinctWritableAlignedAndKeepTheirBytesWhenResized(String name) {
        try (Contender c = Contenders.create(name)) {
            List<Long> handles = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long size = 16 + i * 8;
                long handle = c.alloc(size);
                Contender.write(c.address(handle), size);
                handles.add(handle);
            }
            for (int i = 0; i < 100; i++) {
                assertTrue(Contender.read(c.address(handles.get(i)), 16 + i * 8) != 0);
            }
            long aligned = c.alloc(100, 4096);
            assertEquals(0, c.address(aligned) % 4096);
            long buffer = c.alloc(64);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, c.address(buffer) + 56, 0x1234_5678L);
            long grown = c.realloc(buffer, 64, 100_000);
            assertEquals(0x1234_5678L, ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, c.address(grown) + 56));
            c.free(grown);
            c.free(aligned);
            handles.forEach(c::free);
            assertTrue(c.footprint() >= 0 || c.footprint() == Contender.UNKNOWN);
        }
    }

    @Test
    void whatWriteWritesReadReadsBackForEverySize() {
        try (Contender c = Contenders.create("malloc")) {
            long block = c.alloc(20_000);
            for (long size = 0; size <= 20_000; size += size < 300 ? 1 : 997) {
                Contender.write(block, size);
                Contender.read(block, size);
            }
            c.free(block);
        }
    }

    @Test
    void readNoticesABlockWhoseStampWasOverwritten() {
        try (Contender c = Contenders.create("malloc")) {
            long block = c.alloc(64);
            Contender.write(block, 64);
            Contender.word(block, 42);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Contender.read(block, 64));
            assertTrue(e.getMessage().contains("overlap"));
            c.free(block);
        }
    }

    @Test
    void threadSafetyIsWhatEachBaselineAllows() {
        for (String name : List.of("arena-confined", "arena-slicing")) {
            try (Contender c = Contenders.create(name)) {
                assertFalse(c.threadSafe(), name);
            }
        }
        for (String name : List.of("malloc", "direct-buffer", "netty-pooled", "netty-adaptive")) {
            try (Contender c = Contenders.create(name)) {
                assertTrue(c.threadSafe(), name);
            }
        }
    }

    @Test
    void theSlicingArenaNeverFreesAndStopsAtItsBudget() {
        try (SlicingArenaContender c = new SlicingArenaContender(1 << 20, 4 << 20)) {
            long first = c.alloc(1024);
            c.free(first);
            assertTrue(c.alloc(1024) > first, "a bump pointer never reuses");
            ExhaustedException e = assertThrows(ExhaustedException.class, () -> {
                for (int i = 0; i < 10_000; i++) {
                    c.alloc(1024);
                }
            });
            assertTrue(e.getMessage().contains("never frees"), e.getMessage());
            assertEquals(4 << 20, c.footprint());
        }
    }

    @Test
    void handlesFreedByAnotherThreadGoBackToTheirOwner() throws InterruptedException {
        HandleTable<String> table = new HandleTable<>();
        long a = table.put("a", 100);
        long b = table.put("b", 200);
        assertEquals("a", table.get(a));
        assertEquals(200, table.address(b));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                assertEquals("a", table.remove(a));
                long c = table.put("c", 300);
                assertEquals(1, c >>> 32, "another thread gets its own stripe");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertEquals(null, failure.get());
        long again = table.put("a2", 400);
        assertEquals(a, again, "the slot freed by the other thread is reused by its owner");
        List<String> held = new ArrayList<>();
        table.forEach(held::add);
        assertEquals(java.util.Set.of("b", "a2", "c"), new java.util.HashSet<>(held));
    }
}
