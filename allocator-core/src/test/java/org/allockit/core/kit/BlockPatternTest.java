package org.allockit.core.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class BlockPatternTest {

    @Property(tries = 200)
    void findsTheFirstChangedByte(@ForAll @LongRange(min = 1, max = 300) long length, @ForAll long seed,
                                  @ForAll @LongRange(min = 0, max = 299) long changed) {
        long at = changed % length;
        try (Arena arena = Arena.ofConfined()) {
            var block = arena.allocate(length);
            BlockPattern.fill(block.address(), length, seed);
            assertEquals(-1, BlockPattern.firstMismatch(block.address(), length, seed));
            block.set(ValueLayout.JAVA_BYTE, at, (byte) ~block.get(ValueLayout.JAVA_BYTE, at));
            assertEquals(at, BlockPattern.firstMismatch(block.address(), length, seed));
            assertEquals(at, BlockPattern.firstMismatchSampled(block.address(), length, seed));
        }
    }

    @Property(tries = 50)
    void samplingLargeBlocksSeesBothEdgesAndTheSampledWords(@ForAll @LongRange(min = 65537, max = 300_000) long length,
                                                            @ForAll @LongRange(min = 0, max = 4095) long fromEdge) {
        try (Arena arena = Arena.ofConfined()) {
            var block = arena.allocate(length);
            long seed = 7;
            BlockPattern.fill(block.address(), length, seed);
            assertEquals(-1, BlockPattern.firstMismatchSampled(block.address(), length, seed));
            for (long at : new long[] {fromEdge, length - 1 - fromEdge, BlockPattern.EDGE + BlockPattern.STRIDE * 3}) {
                block.set(ValueLayout.JAVA_BYTE, at, (byte) ~block.get(ValueLayout.JAVA_BYTE, at));
                assertEquals(at, BlockPattern.firstMismatchSampled(block.address(), length, seed), "changed byte " + at);
                block.set(ValueLayout.JAVA_BYTE, at, (byte) ~block.get(ValueLayout.JAVA_BYTE, at));
            }
        }
    }

    @Property(tries = 50)
    void aPrefixChecksAgainstThePatternItWasWrittenWith(@ForAll @LongRange(min = 0, max = 100) long length,
                                                        @ForAll @LongRange(min = 0, max = 100) long prefix) {
        try (Arena arena = Arena.ofConfined()) {
            var block = arena.allocate(Math.max(length, 1));
            BlockPattern.fill(block.address(), length, 99);
            assertEquals(-1, BlockPattern.firstMismatch(block.address(), Math.min(prefix, length), 99));
        }
    }
}
