package org.allockit.pool.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.allockit.core.os.PageSource;
import org.allockit.pool.Backing;

class StructPoolProperties {

    /**
     * No lost records: under random allocations, frees and trims, iteration yields exactly the live
     * records in address order, each with the value last written to it, and the counters agree.
     */
    @Property(tries = 100)
    void noRecordIsLost(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 99) Integer> steps,
                        @ForAll @IntRange(min = 1, max = 70) int recordsPerSlab) {
        try (StructPool pool = new StructPool(Backing.of(PageSource.os()), 8, recordsPerSlab)) {
            TreeMap<Long, Long> live = new TreeMap<>();
            List<Long> order = new ArrayList<>();
            long value = 0;
            for (int step : steps) {
                if (step < 60 || order.isEmpty()) {
                    long record = pool.allocate();
                    pool.segment(record).set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, ++value);
                    live.put(record, value);
                    order.add(record);
                } else if (step < 97) {
                    long record = order.remove(step % order.size());
                    live.remove(record);
                    pool.free(record);
                } else {
                    pool.trim();
                }
                TreeMap<Long, Long> seen = new TreeMap<>();
                List<Long> addresses = new ArrayList<>();
                pool.forEach(record -> {
                    addresses.add(record);
                    seen.put(record, pool.segment(record).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
                });
                assertEquals(new ArrayList<>(live.keySet()), addresses, "live records in address order");
                assertEquals(live, seen);
                assertEquals(live.size(), pool.live());
                pool.verify();
            }
        }
    }
}
