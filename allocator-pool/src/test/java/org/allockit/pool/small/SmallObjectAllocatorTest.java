package org.allockit.pool.small;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.Allocators;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.InvalidSizeException;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.allockit.pool.Fill;
import org.junit.jupiter.api.Test;

class SmallObjectAllocatorTest {

    private static SmallObjectAllocator allocator() {
        return new SmallObjectAllocator(Backing.of(Allocators.create("malloc")));
    }

    @Test
    void dispatchesBySizeStep() {
        try (SmallObjectAllocator small = allocator()) {
            assertEquals(8, small.usableSize(small.alloc(0)));
            assertEquals(8, small.usableSize(small.alloc(1)));
            assertEquals(8, small.usableSize(small.alloc(8)));
            assertEquals(16, small.usableSize(small.alloc(9)));
            assertEquals(256, small.usableSize(small.alloc(249)));
            assertEquals(257, small.usableSize(small.alloc(257)), "larger requests go to the backing");
            assertEquals(0, small.alloc(24, 16) % 16, "alignment 16 rounds the step up to a multiple of 16");
            assertEquals(16, small.usableSize(small.alloc(0, 16)), "even for size 0");
        }
    }

    @Test
    void chunksHoldAPageOfBlocksClampedTo8To255() {
        try (SmallObjectAllocator small = allocator()) {
            assertEquals(255, small.stepFor(8).blocksPerChunk);
            assertEquals(128, small.stepFor(32).blocksPerChunk);
            assertEquals(16, small.stepFor(256).blocksPerChunk);
            SmallObjectAllocator big = new SmallObjectAllocator(Backing.of(PageSource.os()), 1024, 8, 4096);
            assertEquals(8, big.stepFor(1024).blocksPerChunk);
            big.close();
        }
    }

    @Test
    void blocksOfAChunkAreAdjacentAndHaveNoHeader() {
        try (SmallObjectAllocator small = allocator()) {
            long a = small.alloc(32);
            long b = small.alloc(32);
            long c = small.alloc(32);
            assertEquals(a + 32, b);
            assertEquals(b + 32, c);
            small.free(b);
            assertEquals(b, small.alloc(32), "the freed block heads the in-block free list");
        }
    }

    @Test
    void freeFindsTheSizeFromTheAddressAlone() {
        try (SmallObjectAllocator small = allocator()) {
            List<Long> blocks = new ArrayList<>();
            for (int size = 1; size <= 256; size++) {
                long block = small.alloc(size);
                Fill.write(block, size, size);
                blocks.add(block);
            }
            for (int size = 256; size >= 1; size -= 2) {
                small.free(blocks.get(size - 1));
            }
            for (int size = 1; size <= 256; size += 2) {
                Fill.check(blocks.get(size - 1), size, size);
            }
            assertEquals(128, small.stats().liveBlocks());
            small.verify();
        }
    }

    @Test
    void rejectsAddressesThatAreNotLiveBlocks() {
        try (SmallObjectAllocator small = allocator()) {
            long block = small.alloc(48);
            long other = small.alloc(48);
            Fill.write(other, 48, 7);
            var interior = assertThrows(InvalidAddressException.class, () -> small.free(block + 8));
            assertEquals(InvalidAddressException.Reason.INTERIOR, interior.reason());
            var foreign = assertThrows(InvalidAddressException.class, () -> small.free(block + (1L << 40)));
            assertEquals(InvalidAddressException.Reason.FOREIGN, foreign.reason());
            small.free(block);
            var twice = assertThrows(DoubleFreeException.class, () -> small.free(block));
            assertTrue(twice.getMessage().startsWith("small: free(0x"), twice.getMessage());
            assertThrows(DoubleFreeException.class, () -> small.usableSize(block));
            small.verify();
            Fill.check(other, 48, 7);
            assertEquals(block, small.alloc(48), "rejections changed nothing");
        }
    }

    @Test
    void sizedFreeFindsTheChunkNearTheLastFree() {
        try (SmallObjectAllocator small = allocator()) {
            FixedAllocator step = small.stepFor(128);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < step.blocksPerChunk * 6; i++) {
                blocks.add(small.alloc(128));
            }
            long before = step.searchSteps();
            for (int i = blocks.size() - 1; i >= 0; i--) {
                small.free(blocks.get(i), 121); // any size of the same step will do
            }
            long perFree = (step.searchSteps() - before) / blocks.size();
            assertTrue(perFree <= 2, "frees in reverse allocation order stay near the last-free chunk: " + perFree);
            long stray = small.alloc(8);
            var wrongStep = assertThrows(InvalidAddressException.class, () -> small.free(stray, 128));
            assertEquals(InvalidAddressException.Reason.FOREIGN, wrongStep.reason());
            var emptyStep = assertThrows(InvalidAddressException.class, () -> small.free(stray, 100));
            assertEquals(InvalidAddressException.Reason.FOREIGN, emptyStep.reason(), "a step with no chunk at all");
            small.free(stray, 8);
            small.verify();
        }
    }

    @Test
    void keepsAtMostOneEmptyChunkPerStep() {
        try (SmallObjectAllocator small = allocator()) {
            FixedAllocator step = small.stepFor(64);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < step.blocksPerChunk * 3; i++) {
                blocks.add(small.alloc(64));
            }
            assertEquals(3, step.chunkCount());
            blocks.forEach(small::free);
            assertEquals(1, step.chunkCount(), "two empty chunks released, one kept");
            assertEquals(4096, small.stats().footprintBytes());
            small.trim();
            assertEquals(0, small.stats().footprintBytes(), "trim releases the kept one");
            small.verify();
        }
    }

    @Test
    void reallocateStaysInPlaceWithinTheStep() {
        try (SmallObjectAllocator small = allocator()) {
            long block = small.alloc(20);
            Fill.write(block, 20, 3);
            assertEquals(block, small.reallocate(block, 24));
            long moved = small.reallocate(block, 200);
            Fill.check(moved, 20, 3);
            long large = small.reallocate(moved, 5000);
            Fill.check(large, 20, 3);
            small.free(large);
            assertEquals(0, small.stats().liveBlocks());
        }
    }

    @Test
    void footprintStaysWithinFivePercentOfLiveBytes() {
        try (SmallObjectAllocator small = allocator()) {
            for (int i = 0; i < 100_000; i++) {
                small.alloc(30);
            }
            var stats = small.stats();
            assertEquals(100_000L * 32, stats.liveUsableBytes());
            assertTrue(stats.peakFootprintBytes() <= 1.05 * stats.liveUsableBytes(),
                    "footprint " + stats.peakFootprintBytes());
        }
    }

    @Test
    void misuseIsRefusedClearly() {
        SmallObjectAllocator small = allocator();
        assertThrows(InvalidSizeException.class, () -> small.alloc(-5));
        assertThrows(IllegalArgumentException.class,
                () -> new SmallObjectAllocator(Backing.of(PageSource.os()), 100, 8, 4096));
        long block = small.alloc(8);
        small.close();
        assertThrows(AllocatorClosedException.class, () -> small.free(block));
        assertThrows(AllocatorClosedException.class, () -> small.alloc(8));
    }

    @Test
    void registeredAsSmall() {
        try (var small = Allocators.create("small", org.allockit.core.AllocatorOptions.defaults()
                .withSetting("max_object", "128").withSetting("backing", "pages"))) {
            assertInstanceOf(SmallObjectAllocator.class, small);
            assertEquals(200, small.usableSize(small.alloc(200)));
        }
    }
}
