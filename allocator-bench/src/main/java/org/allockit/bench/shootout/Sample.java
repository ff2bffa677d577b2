package org.allockit.bench.shootout;

/**
 * What a contender held at one moment of a measured run.
 *
 * @param operations     operations done since the measurement began
 * @param footprintBytes the contender's footprint, or -1 when it cannot tell
 * @param liveBytes      bytes the workload held live (requested sizes)
 * @param residentBytes  the process's resident set
 */
public record Sample(long operations, long footprintBytes, long liveBytes, long residentBytes) {
}
