package org.allockit.bench.sim;

import java.util.List;

/**
 * The caches: a split first level (instructions, data) in front of any number of shared levels
 * (L2, L3, ... the last of which cachegrind calls LL). A level is looked up only when the one before
 * it missed, with the whole access, so each level's accesses are the misses of the level above.
 * Not thread-safe.
 */
public final class CacheHierarchy {

    private final CacheLevel instructions;
    private final CacheLevel data;
    private final CacheLevel[] shared;

    public CacheHierarchy(CacheLevel instructions, CacheLevel data, List<CacheLevel> shared) {
        this.instructions = instructions;
        this.data = data;
        this.shared = shared.toArray(CacheLevel[]::new);
    }

    /**
     * Simulates one access of the given counter ({@link CacheLevel#counter}); returns how deep it
     * went: 0 when the first level hit, {@code k} when shared level {@code k} hit, and
     * {@code shared().size() + 1} when it went to memory.
     */
    public int fetch(int counter, long address, int size) {
        return instructions.access(counter, address, size) ? below(counter, address, size) : 0;
    }

    public int data(int counter, long address, int size) {
        return data.access(counter, address, size) ? below(counter, address, size) : 0;
    }

    private int below(int counter, long address, int size) {
        CacheLevel[] levels = shared;
        for (int i = 0; i < levels.length; i++) {
            if (!levels[i].access(counter, address, size)) {
                return i + 1;
            }
        }
        return levels.length + 1;
    }

    public CacheLevel instructions() {
        return instructions;
    }

    public CacheLevel data() {
        return data;
    }

    public List<CacheLevel> shared() {
        return List.of(shared);
    }

    /** The last level, or the data level when there is no shared level. */
    public CacheLevel last() {
        return shared.length == 0 ? data : shared[shared.length - 1];
    }

    /** The smallest line size of all levels (cachegrind clamps wider accesses to it). */
    public int minLineSize() {
        int min = Math.min(instructions.geometry().lineSize(), data.geometry().lineSize());
        for (CacheLevel level : shared) {
            min = Math.min(min, level.geometry().lineSize());
        }
        return min;
    }

    public void reset() {
        instructions.reset();
        data.reset();
        for (CacheLevel level : shared) {
            level.reset();
        }
    }
}
