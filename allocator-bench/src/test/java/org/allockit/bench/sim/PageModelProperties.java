package org.allockit.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PageModelProperties {

    private static final long BASE = 0x7f00_0000_0000L;
    private static final long SPAN = 8 * PageModel.HUGE;

    /** Without huge pages, the resident set is exactly the pages touched since a release last covered them. */
    @Property(tries = 150)
    void residentSetIsTheTouchedPagesNotReleasedSince(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 40) Integer> pages,
                                                     @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 9) Integer> ops) {
        PageModel model = new PageModel();
        Set<Long> resident = new HashSet<>();
        long faults = 0;
        for (int i = 0; i < Math.min(pages.size(), ops.size()); i++) {
            long page = pages.get(i);
            if (ops.get(i) == 0) {
                long count = 1 + page % 5;
                model.release(BASE + page * PageModel.SMALL, count * PageModel.SMALL, i);
                for (long p = page; p < page + count; p++) {
                    resident.remove(p);
                }
            } else {
                faults += resident.add(page) ? 1 : 0;
                assertTrue(!model.touch(CacheLevel.USER, BASE + page * PageModel.SMALL + 8 * i % 4096, i));
            }
            assertEquals(faults, model.faults(CacheLevel.USER));
            assertEquals(resident.size() * PageModel.SMALL, model.residentBytes());
        }
    }

    /** With huge pages marked and released at random, resident bytes always add up from the pages held. */
    @Property(tries = 150)
    void residentBytesAddUpWithHugePages(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 4095) Integer> pages,
                                         @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 19) Integer> ops) {
        PageModel model = new PageModel();
        long peak = 0;
        for (int i = 0; i < Math.min(pages.size(), ops.size()); i++) {
            long address = BASE + pages.get(i) * PageModel.SMALL;
            switch (ops.get(i)) {
                case 0 -> model.markHuge(address, (1 + ops.get((i * 7) % ops.size())) * PageModel.HUGE / 2);
                case 1 -> model.release(address, (1 + pages.get((i * 3) % pages.size()) % 700) * PageModel.SMALL, i);
                default -> {
                    boolean huge = model.touch(CacheLevel.USER, address, i);
                    assertEquals(huge, model.touch(CacheLevel.USER, address + 8, i), "same page, same size");
                }
            }
            assertEquals(model.smallPagesResident() * PageModel.SMALL + model.hugePagesResident() * PageModel.HUGE,
                    model.residentBytes());
            assertTrue(model.residentBytes() <= SPAN);
            peak = Math.max(peak, model.residentBytes());
            assertEquals(peak, model.peakBytes());
        }
    }
}
