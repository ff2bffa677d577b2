package org.allockit.pool.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.allockit.core.AllocatorClosedException;
import org.allockit.core.DoubleFreeException;
import org.allockit.core.InvalidAddressException;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;
import org.junit.jupiter.api.Test;

class StructPoolTest {

    @Test
    void recordsAreReadAndWrittenThroughOneFlyweight() {
        try (StructPool pool = new StructPool(Backing.of(PageSource.os()), 20, 1000)) {
            assertEquals(24, pool.recordSize());
            UnsafeBuffer flyweight = new UnsafeBuffer(0, 0);
            List<Long> records = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                long record = pool.allocate();
                pool.wrap(flyweight, record).putLong(0, i);
                pool.wrap(flyweight, record).putInt(8, -i);
                records.add(record);
            }
            for (int i = 0; i < 5000; i++) {
                pool.wrap(flyweight, records.get(i));
                assertEquals(i, flyweight.getLong(0));
                assertEquals(-i, flyweight.getInt(8));
            }
            var stats = pool.stats();
            assertEquals(5000, stats.liveBlocks());
            assertEquals(5 * PageSource.roundUp(24_000, 4096), stats.footprintBytes());
        }
    }

    @Test
    void iteratesLiveRecordsInAddressOrder() {
        try (StructPool pool = new StructPool(Backing.of(PageSource.os()), 16, 64)) {
            List<Long> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                records.add(pool.allocate());
            }
            for (int i = 0; i < 300; i += 3) {
                pool.free(records.get(i));
            }
            List<Long> seen = new ArrayList<>();
            pool.forEach(seen::add);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                if (i % 3 != 0) {
                    expected.add(records.get(i));
                }
            }
            expected.sort(null);
            assertEquals(expected, seen);
        }
    }

    @Test
    void freedRecordsAreReusedZeroed() {
        try (StructPool pool = new StructPool(Backing.of(PageSource.os()), 32, 16)) {
            long record = pool.allocate();
            pool.segment(record).fill((byte) 7);
            pool.free(record);
            assertEquals(record, pool.allocate());
            assertEquals(0, pool.segment(record).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void rejectsAddressesThatAreNotLiveRecords() {
        StructPool pool = new StructPool(Backing.of(PageSource.os()), 32, 16);
        long record = pool.allocate();
        assertEquals(InvalidAddressException.Reason.INTERIOR,
                assertThrows(InvalidAddressException.class, () -> pool.free(record + 8)).reason());
        assertEquals(InvalidAddressException.Reason.FOREIGN,
                assertThrows(InvalidAddressException.class, () -> pool.free(record - 4096)).reason());
        pool.free(record);
        assertThrows(DoubleFreeException.class, () -> pool.free(record));
        pool.verify();
        assertTrue(pool.trim() > 0);
        pool.close();
        assertThrows(AllocatorClosedException.class, pool::allocate);
    }
}
