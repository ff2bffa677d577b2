package org.allockit.leak;

/**
 * How the live blocks of one site changed between two snapshots.
 *
 * @param site   the allocation site ({@link Site#UNKNOWN} for blocks without a site)
 * @param blocks live blocks after minus before
 * @param bytes  live bytes after minus before
 */
public record SiteDelta(Site site, long blocks, long bytes) {
}
