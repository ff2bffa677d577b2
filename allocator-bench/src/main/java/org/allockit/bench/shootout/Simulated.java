package org.allockit.bench.shootout;

/**
 * What the simulated pass of a cell counted, per operation: first-level cache misses (instructions
 * and data) and estimated cycles, split between the allocator's metadata and the user's data.
 * Metadata figures are NaN for an allocator that does not report its accesses to a probe.
 *
 * @param preset     the simulator's configuration ({@code skylake-sp})
 * @param operations operations simulated
 */
public record Simulated(String preset, long operations, double l1MissesMetadata, double l1MissesData,
                       double cyclesMetadata, double cyclesData) {

    /** Whether the allocator's own accesses were seen. */
    public boolean hasMetadata() {
        return !Double.isNaN(l1MissesMetadata);
    }
}
