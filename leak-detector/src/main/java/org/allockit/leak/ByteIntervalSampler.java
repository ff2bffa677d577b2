package org.allockit.leak;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Samples allocations the way heap profilers do: a countdown of bytes until the next sample, drawn
 * from an exponential distribution with the given mean, so a block of {@code n} bytes is sampled
 * with probability about {@code n / mean} whatever the order of sizes (a fixed stride would alias
 * with periodic allocation patterns).
 *
 * <p>Thread-safe by tolerance: the countdown is one plain field that threads update without
 * synchronisation. A lost update only moves the next sample a little, which a statistical sampler
 * accepts; the fast path is one subtraction and one branch.
 */
final class ByteIntervalSampler implements Sampler {

    private final double meanBytes;
    private long bytesUntilSample;

    ByteIntervalSampler(long meanBytes) {
        if (meanBytes <= 0) {
            throw new IllegalArgumentException("sample interval must be positive: " + meanBytes);
        }
        this.meanBytes = meanBytes;
        this.bytesUntilSample = nextInterval();
    }

    @Override
    public boolean sample(long bytes) {
        long left = bytesUntilSample - Math.max(bytes, 1);
        if (left > 0) {
            bytesUntilSample = left;
            return false;
        }
        bytesUntilSample = nextInterval();
        return true;
    }

    private long nextInterval() {
        // Inverse transform of Exp(1/mean); 1 - u is in (0, 1] so the log is finite.
        double u = ThreadLocalRandom.current().nextDouble();
        return 1 + (long) (-Math.log(1.0 - u) * meanBytes);
    }
}
