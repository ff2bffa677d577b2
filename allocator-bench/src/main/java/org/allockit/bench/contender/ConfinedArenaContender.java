package org.allockit.bench.contender;

import java.lang.foreign.Arena;

/**
 * The JDK's {@code Arena.ofConfined()} per allocation, closed to free: how code that wants
 * deterministic deallocation without an allocator writes it. Each block costs an arena object and
 * zeroed memory from the JDK's own malloc.
 *
 * <p>Thread safety: none; a confined arena is closed only by the thread that opened it.
 */
final class ConfinedArenaContender extends Contender {

    private final HandleTable<Arena> arenas = new HandleTable<>();

    ConfinedArenaContender() {
        super(Contenders.ARENA_CONFINED);
    }

    @Override
    public long alloc(long size) {
        return alloc(size, 16);
    }

    @Override
    public long alloc(long size, long alignment) {
        Arena arena = Arena.ofConfined();
        return arenas.put(arena, arena.allocate(size, alignment).address());
    }

    @Override
    public void free(long handle) {
        Arena arena = arenas.remove(handle);
        arena.close();
    }

    @Override
    public long address(long handle) {
        return arenas.address(handle);
    }

    @Override
    public boolean threadSafe() {
        return false;
    }

    /** The JDK does not count what its arenas hold; the run's resident-set growth stands in. */
    @Override
    public long footprint() {
        return UNKNOWN;
    }

    @Override
    public void close() {
        arenas.forEach(Arena::close);
    }
}
