package org.allockit.leak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live blocks of a tracker at one moment, by site; two snapshots compared with
 * {@link #diff(Snapshot, Snapshot)} show which sites grew, the way heap profilers compare two dumps.
 * Immutable.
 *
 * @param takenNanos when it was taken ({@link System#nanoTime()})
 * @param blocks     live blocks
 * @param bytes      live requested bytes
 * @param sites      live blocks by site, largest bytes first
 */
public record Snapshot(long takenNanos, long blocks, long bytes, List<SiteLeaks> sites) {

    public Snapshot {
        sites = List.copyOf(sites);
    }

    /**
     * The sites whose live blocks changed from {@code before} to {@code after}, most grown bytes
     * first (shrunk sites last, with negative deltas); sites that did not change are left out.
     */
    public static List<SiteDelta> diff(Snapshot before, Snapshot after) {
        Map<Site, long[]> change = new HashMap<>();
        for (SiteLeaks s : after.sites) {
            change.put(s.site(), new long[] {s.blocks(), s.bytes()});
        }
        for (SiteLeaks s : before.sites) {
            long[] d = change.computeIfAbsent(s.site(), k -> new long[2]);
            d[0] -= s.blocks();
            d[1] -= s.bytes();
        }
        List<SiteDelta> out = new ArrayList<>();
        change.forEach((site, d) -> {
            if (d[0] != 0 || d[1] != 0) {
                out.add(new SiteDelta(site, d[0], d[1]));
            }
        });
        out.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return out;
    }

    /** A diff for people: one line per changed site with its innermost frame. */
    public static String format(List<SiteDelta> deltas) {
        StringBuilder out = new StringBuilder();
        for (SiteDelta d : deltas) {
            out.append(String.format("%+d bytes in %+d blocks at %s%n", d.bytes(), d.blocks(), d.site().top()));
        }
        return out.toString();
    }
}
