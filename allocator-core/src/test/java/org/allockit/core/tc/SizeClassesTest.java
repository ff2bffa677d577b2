package org.allockit.core.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeClassesTest {

    @Test
    void everySizeMapsToTheSmallestClassThatHoldsIt() {
        for (long size = 0; size <= SizeClasses.MAX_SMALL; size++) {
            int cl = SizeClasses.classOf(size);
            assertTrue(SizeClasses.size(cl) >= size, "class of " + size);
            long aligned = size <= 8 ? 8 : (size + 15) & -16;
            assertTrue(cl == 1 || SizeClasses.size(cl - 1) < aligned, "a smaller class fits " + size);
        }
    }

    @Test
    void roundingWastesAtMostAnEighthAbove64Bytes() {
        for (long size = 65; size <= SizeClasses.MAX_SMALL; size++) {
            long aligned = (size + 15) & -16;
            long classSize = SizeClasses.size(SizeClasses.classOf(size));
            assertTrue(classSize * 8 <= aligned * 9, size + " -> " + classSize);
        }
        for (int cl = 1; cl < SizeClasses.count(); cl++) {
            assertTrue(SizeClasses.worstWaste(cl) <= 0.125, "class " + cl);
        }
    }

    @Test
    void classesAreAlignedTo16ExceptThe8ByteClass() {
        assertEquals(8, SizeClasses.size(1));
        assertEquals(SizeClasses.MAX_SMALL, SizeClasses.size(SizeClasses.count() - 1));
        for (int cl = 2; cl < SizeClasses.count(); cl++) {
            assertEquals(0, SizeClasses.size(cl) % 16, "class " + cl);
            assertTrue(SizeClasses.size(cl) > SizeClasses.size(cl - 1));
        }
    }

    @Test
    void spansWasteAtMostAnEighthAndBatchesStayBetween2And32() {
        for (int cl = 1; cl < SizeClasses.count(); cl++) {
            long span = SizeClasses.pages(cl) * SizeClasses.PAGE;
            assertTrue(SizeClasses.tailWaste(cl) * 8 <= span, "class " + cl);
            assertTrue(SizeClasses.objectsPerSpan(cl) >= 1 && SizeClasses.objectsPerSpan(cl) <= 65536);
            assertTrue(SizeClasses.batch(cl) >= 2 && SizeClasses.batch(cl) <= 32);
        }
    }

    @Test
    void objectIndexDividesExactlyAcrossEverySpan() {
        for (int cl = 1; cl < SizeClasses.count(); cl++) {
            int size = SizeClasses.size(cl);
            for (long i = 0; i < SizeClasses.objectsPerSpan(cl); i++) {
                long offset = i * size;
                assertEquals(i, SizeClasses.objectIndex(cl, offset));
                assertEquals(i, SizeClasses.objectIndex(cl, offset + size - 1));
                if (offset > 0) {
                    assertEquals(i - 1, SizeClasses.objectIndex(cl, offset - 1));
                }
            }
        }
    }
}
