package org.allockit.pool.object;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ObjectPoolProperties {

    /**
     * Random acquires and releases on one thread: an object is never handed out while in use, and the
     * pool keeps at most its maximum idle.
     */
    @Property(tries = 200)
    void neverHandsOutAnObjectInUse(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 99) Integer> steps,
                                    @ForAll @IntRange(min = 1, max = 40) int maximum,
                                    @ForAll @IntRange(min = 0, max = 16) int localCapacity) {
        var pool = new ObjectPool<>("objects", Object::new, o -> { }, maximum, localCapacity);
        Set<Object> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Pooled<Object>> held = new ArrayList<>();
        for (int step : steps) {
            if (step < 55 || held.isEmpty()) {
                Pooled<Object> handle = pool.acquire();
                assertTrue(inUse.add(handle.get()), "handed out twice");
                held.add(handle);
            } else {
                Pooled<Object> handle = held.remove(step % held.size());
                inUse.remove(handle.get());
                handle.release();
            }
            var stats = pool.stats();
            assertTrue(stats.idleShared() + stats.leasedSlots() <= maximum, stats.toString());
            assertFalse(stats.created() - stats.dropped() - held.size() > maximum, "idle beyond the cap: " + stats);
        }
    }
}
