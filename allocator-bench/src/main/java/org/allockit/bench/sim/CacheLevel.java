package org.allockit.bench.sim;

/**
 * One set-associative cache level of the simulator (also used for TLBs, whose lines are pages). It
 * keeps only tags: {@code tags[set * ways + way]} holds the line number ({@code address >>> lineBits})
 * cached in that way, or {@link #EMPTY}. A subclass per replacement policy decides where a line goes.
 *
 * <p>Counts accesses and misses per source (user data, allocator metadata) and kind (fetch, read,
 * write): an access that spans several lines looks every one of them up, counts once and misses at
 * most once, as cachegrind does. Write-allocate: a write miss brings the line in like a read. Not
 * thread-safe; one simulator is driven by one thread.
 */
public abstract sealed class CacheLevel permits CacheLevel.Lru, CacheLevel.Fifo, CacheLevel.Random, CacheLevel.TreePlru {

    /** Access kinds. */
    public static final int FETCH = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int KINDS = 3;
    /** Sources of accesses: the program's (or workload's) own data, and the allocator's metadata. */
    public static final int USER = 0;
    public static final int METADATA = 1;
    public static final int SOURCES = 2;

    static final long EMPTY = -1L;

    private final String name;
    private final CacheGeometry geometry;
    final int ways;
    private final int lineBits;
    private final int sets;
    private final int setMask;
    final long[] tags;
    /** The line looked up last: still the most recent of its set, so looking it up again is a hit that changes nothing. */
    private long lastLine = EMPTY;
    /** {@code counts[counter(source, kind)]} accesses, {@code counts[counter(source, kind) + 1]} misses. */
    private final long[] counts = new long[SOURCES * KINDS * 2];

    CacheLevel(String name, CacheGeometry geometry) {
        this.name = name;
        this.geometry = geometry;
        this.ways = geometry.ways();
        this.lineBits = Integer.numberOfTrailingZeros(geometry.lineSize());
        this.sets = geometry.sets();
        this.setMask = Integer.bitCount(sets) == 1 ? sets - 1 : -1;
        this.tags = new long[sets * ways];
        java.util.Arrays.fill(tags, EMPTY);
    }

    /** A level of the given geometry with the given policy; {@code seed} drives {@link Replacement#RANDOM}. */
    public static CacheLevel create(String name, CacheGeometry geometry, Replacement policy, long seed) {
        return switch (policy) {
            case LRU -> new Lru(name, geometry);
            case FIFO -> new Fifo(name, geometry);
            case RANDOM -> new Random(name, geometry, seed);
            case PLRU -> new TreePlru(name, geometry);
        };
    }

    /** The counter index of a source and kind, as passed to {@link #access}. */
    public static int counter(int source, int kind) {
        return (source * KINDS + kind) * 2;
    }

    /**
     * Looks up every line of {@code [address, address + size)}, bringing missing ones in; counts one
     * access, and one miss if any line missed. Returns whether it missed.
     */
    public final boolean access(int counter, long address, int size) {
        long first = address >>> lineBits;
        long last = (address + Math.max(size, 1) - 1) >>> lineBits;
        boolean miss = lookup(first);
        if (last != first) {
            miss = spanning(first, last) | miss;
        }
        counts[counter]++;
        if (miss) {
            counts[counter + 1]++;
        }
        return miss;
    }

    /** Looks up one line (or, for a TLB, one page key), counting it as one access. */
    public final boolean accessLine(int counter, long line) {
        boolean miss = lookup(line);
        counts[counter]++;
        if (miss) {
            counts[counter + 1]++;
        }
        return miss;
    }

    private boolean spanning(long first, long last) {
        boolean miss = false;
        for (long line = first + 1; line <= last; line++) {
            miss |= lookup(line);
        }
        return miss;
    }

    private boolean lookup(long line) {
        if (line == lastLine) {
            return false;
        }
        lastLine = line;
        int set = setOf(line);
        return lookupInSet(set, set * ways, line);
    }

    /** Whether {@code line} is cached now (looks, changes nothing). */
    final boolean holds(long line) {
        int set = setOf(line);
        for (int i = set * ways; i < (set + 1) * ways; i++) {
            if (tags[i] == line) {
                return true;
            }
        }
        return false;
    }

    private int setOf(long line) {
        return setMask >= 0 ? (int) line & setMask : (int) Long.remainderUnsigned(line, sets);
    }

    /** Looks {@code line} up in the set whose ways start at {@code base}; returns whether it missed. */
    abstract boolean lookupInSet(int set, int base, long line);

    public final String name() {
        return name;
    }

    public final CacheGeometry geometry() {
        return geometry;
    }

    public final long accesses(int source, int kind) {
        return counts[counter(source, kind)];
    }

    public final long misses(int source, int kind) {
        return counts[counter(source, kind) + 1];
    }

    /** Accesses of one source over all kinds. */
    public final long accesses(int source) {
        return accesses(source, FETCH) + accesses(source, READ) + accesses(source, WRITE);
    }

    public final long misses(int source) {
        return misses(source, FETCH) + misses(source, READ) + misses(source, WRITE);
    }

    /** Empties the level and zeroes its counters. */
    public void reset() {
        lastLine = EMPTY;
        java.util.Arrays.fill(tags, EMPTY);
        java.util.Arrays.fill(counts, 0);
    }

    /** True LRU: each set's ways are kept ordered from most to least recently used. */
    static final class Lru extends CacheLevel {
        Lru(String name, CacheGeometry geometry) {
            super(name, geometry);
        }

        @Override
        boolean lookupInSet(int set, int base, long line) {
            long[] t = tags;
            if (t[base] == line) {
                return false;
            }
            int end = base + ways;
            int i = base + 1;
            while (i < end && t[i] != line) {
                i++;
            }
            boolean miss = i == end;
            if (miss) {
                i = end - 1;
            }
            for (; i > base; i--) {
                t[i] = t[i - 1];
            }
            t[base] = line;
            return miss;
        }
    }

    /** FIFO: ways ordered newest first; a hit changes nothing, a miss pushes out the oldest. */
    static final class Fifo extends CacheLevel {
        Fifo(String name, CacheGeometry geometry) {
            super(name, geometry);
        }

        @Override
        boolean lookupInSet(int set, int base, long line) {
            long[] t = tags;
            int end = base + ways;
            for (int i = base; i < end; i++) {
                if (t[i] == line) {
                    return false;
                }
            }
            for (int i = end - 1; i > base; i--) {
                t[i] = t[i - 1];
            }
            t[base] = line;
            return true;
        }
    }

    /** Random replacement from a seeded xorshift generator; empty ways fill first. */
    static final class Random extends CacheLevel {
        private final long seed;
        private long state;

        Random(String name, CacheGeometry geometry, long seed) {
            super(name, geometry);
            this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
            this.state = this.seed;
        }

        @Override
        boolean lookupInSet(int set, int base, long line) {
            long[] t = tags;
            int end = base + ways;
            int empty = -1;
            for (int i = base; i < end; i++) {
                long tag = t[i];
                if (tag == line) {
                    return false;
                }
                if (tag == EMPTY && empty < 0) {
                    empty = i;
                }
            }
            t[empty >= 0 ? empty : base + victim()] = line;
            return true;
        }

        private int victim() {
            long x = state;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            state = x;
            return (int) Long.remainderUnsigned(x, ways);
        }

        @Override
        public void reset() {
            super.reset();
            state = seed;
        }
    }

    /**
     * Tree pseudo-LRU over a power-of-two number of ways (at most 64): inner node {@code n} (heap
     * numbering from 1) has bit {@code n} of the set's word; 0 sends the next victim left, 1 right.
     * Each access flips the nodes on its path to point away from the way it used.
     */
    static final class TreePlru extends CacheLevel {
        private final long[] bits;
        private final int depth;

        TreePlru(String name, CacheGeometry geometry) {
            super(name, geometry);
            if (Integer.bitCount(ways) != 1 || ways > 64) {
                throw new IllegalArgumentException(name + ": tree-PLRU needs a power-of-two number of ways up to 64, not " + ways);
            }
            this.bits = new long[geometry.sets()];
            this.depth = Integer.numberOfTrailingZeros(ways);
        }

        @Override
        boolean lookupInSet(int set, int base, long line) {
            long[] t = tags;
            int end = base + ways;
            for (int i = base; i < end; i++) {
                if (t[i] == line) {
                    touch(set, i - base);
                    return false;
                }
            }
            int way = victim(bits[set]);
            t[base + way] = line;
            touch(set, way);
            return true;
        }

        private int victim(long word) {
            int node = 1;
            int way = 0;
            for (int level = 0; level < depth; level++) {
                int right = (int) (word >>> node) & 1;
                way = (way << 1) | right;
                node = (node << 1) | right;
            }
            return way;
        }

        private void touch(int set, int way) {
            long word = bits[set];
            int node = 1;
            for (int level = depth - 1; level >= 0; level--) {
                int right = (way >>> level) & 1;
                word = right == 0 ? word | (1L << node) : word & ~(1L << node);
                node = (node << 1) | right;
            }
            bits[set] = word;
        }

        @Override
        public void reset() {
            super.reset();
            java.util.Arrays.fill(bits, 0);
        }
    }
}
