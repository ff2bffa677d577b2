package org.allockit.leak;

/**
 * The live blocks of one allocation site at the time of a report or snapshot.
 *
 * @param site           where they were allocated ({@link Site#UNKNOWN} for blocks without a site)
 * @param blocks         how many
 * @param bytes          their requested bytes
 * @param oldestAgeNanos how long ago the oldest of them was allocated, -1 when unknown
 */
public record SiteLeaks(Site site, long blocks, long bytes, long oldestAgeNanos) {
}
