package org.allockit.leak;

/**
 * Decides which allocations a {@link Level#SAMPLED} tracker records the site of. The tracker asks
 * once per allocation; a heap with its own sampling (tcmalloc's "bytes until next sample" in the
 * thread cache) can answer from there instead, so the tracker adds no second countdown.
 *
 * <p>Implementations are called from every allocating thread at once and must tolerate it.
 */
@FunctionalInterface
public interface Sampler {

    /** Whether the allocation of {@code bytes} bytes that is being made should record its site. */
    boolean sample(long bytes);

    /** About one allocation per {@code meanBytes} bytes allocated, at exponentially distributed intervals. */
    static Sampler everyBytes(long meanBytes) {
        return new ByteIntervalSampler(meanBytes);
    }
}
