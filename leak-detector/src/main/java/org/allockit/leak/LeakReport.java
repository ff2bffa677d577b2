package org.allockit.leak;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.allockit.core.report.JsonWriter;

/**
 * What a {@link LeakTracker} holds at one moment: the blocks still live, grouped by allocation site
 * and sorted by bytes (largest first), the memory errors found so far and the handles found
 * unreachable. At {@code close()} every live block is a leak. {@link #toText()} is for people,
 * {@link #toJson()} for tools. Immutable.
 *
 * @param allocator   the wrapped allocator's name
 * @param level       the tracker's level
 * @param blocks      live blocks, exact at every level
 * @param bytes       their requested bytes, exact at every level
 * @param sites       the live blocks by site, largest bytes first; blocks without a site under {@link Site#UNKNOWN}
 * @param errors      memory errors found, oldest first
 * @param unreachable handles found unreachable without being released
 */
public record LeakReport(String allocator, Level level, long blocks, long bytes, List<SiteLeaks> sites,
                         List<MemoryError> errors, List<HandleLeak> unreachable) {

    public LeakReport {
        sites = List.copyOf(sites);
        errors = List.copyOf(errors);
        unreachable = List.copyOf(unreachable);
    }

    /** Whether nothing is live, no error was found and no handle was lost. */
    public boolean clean() {
        return blocks == 0 && errors.isEmpty() && unreachable.isEmpty();
    }

    /** The report for people: a summary line, then each site with its stack, then the errors. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(allocator).append(" (").append(level).append("): ").append(blocks)
                .append(blocks == 1 ? " block, " : " blocks, ").append(bytes).append(" bytes live");
        if (!sites.isEmpty()) {
            out.append(" from ").append(sites.size()).append(sites.size() == 1 ? " site" : " sites");
        }
        out.append(", ").append(errors.size()).append(errors.size() == 1 ? " memory error" : " memory errors");
        out.append(", ").append(unreachable.size()).append(" unreachable handles\n");
        for (SiteLeaks s : sites) {
            out.append("  ").append(s.bytes()).append(" bytes in ").append(s.blocks())
                    .append(s.blocks() == 1 ? " block" : " blocks");
            if (s.site() == Site.UNKNOWN) {
                out.append(", site not recorded (").append(level == Level.SAMPLED ? "not sampled" : "level " + level)
                        .append(")\n");
                continue;
            }
            out.append(", oldest ").append(TimeUnit.NANOSECONDS.toMillis(s.oldestAgeNanos())).append(" ms old")
                    .append(", thread ").append(s.site().thread()).append(", allocated:\n")
                    .append(s.site().format("    "));
        }
        for (MemoryError e : errors) {
            out.append("  ").append(e.kind()).append(": ").append(e.message().replace("\n", "\n  ")).append('\n');
        }
        for (HandleLeak h : unreachable) {
            out.append("  unreachable ").append(h.type()).append(" (").append(h.bytes()).append(" bytes at 0x")
                    .append(Long.toHexString(h.address())).append("), registered:\n").append(h.site().format("    "));
        }
        return out.toString();
    }

    /**
     * The report for tools: {@code {"allocator", "level", "blocks", "bytes", "sites": [{"id", "blocks",
     * "bytes", "oldestAgeMillis", "thread", "stack"}], "errors": [{"kind", "address", "size", "offset",
     * "message", "allocated", "freed", "detected"}], "unreachable": [{"type", "address", "bytes", "stack"}]}}.
     */
    public String toJson() {
        JsonWriter out = new JsonWriter().beginObject()
                .field("allocator", allocator).field("level", level.toString()).field("blocks", blocks).field("bytes", bytes)
                .beginArray("sites");
        for (SiteLeaks s : sites) {
            out.beginObject().field("id", s.site().id()).field("blocks", s.blocks()).field("bytes", s.bytes())
                    .field("oldestAgeMillis", s.oldestAgeNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(s.oldestAgeNanos()))
                    .field("thread", s.site().thread());
            stack(out, "stack", s.site()).end();
        }
        out.end().beginArray("errors");
        for (MemoryError e : errors) {
            out.beginObject().field("kind", e.kind().toString()).field("address", "0x" + Long.toHexString(e.address()))
                    .field("size", e.size()).field("offset", e.offset()).field("message", e.message());
            stack(out, "allocated", e.allocated());
            stack(out, "freed", e.freed());
            stack(out, "detected", e.detected()).end();
        }
        out.end().beginArray("unreachable");
        for (HandleLeak h : unreachable) {
            out.beginObject().field("type", h.type()).field("address", "0x" + Long.toHexString(h.address()))
                    .field("bytes", h.bytes());
            stack(out, "stack", h.site()).end();
        }
        return out.end().end().toString();
    }

    /** A site's frames as an array of strings. */
    private static JsonWriter stack(JsonWriter out, String name, Site site) {
        out.beginArray(name);
        for (StackTraceElement frame : site.frames()) {
            out.value(frame.toString());
        }
        return out.end();
    }
}
