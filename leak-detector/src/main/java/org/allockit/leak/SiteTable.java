package org.allockit.leak;

import java.lang.StackWalker.StackFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The distinct allocation sites a tracker has seen, numbered from 0. Capturing walks the caller's
 * stack with {@link StackWalker} (skipping the tracker's own frames), hashes the frames by class,
 * method and bytecode index, and returns the number of the matching site, creating it the first
 * time; so memory grows with the number of distinct stacks, not with the number of allocations.
 *
 * <p>Thread-safe: the walk runs unlocked, the lookup under this table's monitor.
 */
final class SiteTable {

    /** Frames that belong to the tracker or to default methods that only forward to it. */
    private static final Set<String> FORWARDING = Set.of(
            SiteTable.class.getName(), LeakTracker.class.getName(), UnreachableHandles.class.getName(),
            "org.allockit.core.Allocator", "java.lang.foreign.SegmentAllocator");
    /** The tracker's nested classes (the heap-sampling listener). */
    private static final String TRACKER_NESTED = LeakTracker.class.getName() + "$";

    /** A stack's identity without building {@link StackTraceElement}s. */
    private record Key(String[] classes, String[] methods, int[] bcis) {

        boolean sameAs(Key other) {
            return Arrays.equals(bcis, other.bcis) && Arrays.equals(methods, other.methods)
                    && Arrays.equals(classes, other.classes);
        }
    }

    private record Entry(Key key, Site site, Entry next) {
    }

    private final StackWalker walker;
    private final int depth;
    private final Long2ObjectHashMap<Entry> byHash = new Long2ObjectHashMap<>();
    private final List<Site> byId = new ArrayList<>();

    SiteTable(int depth) {
        this.depth = depth;
        // The estimate sizes the walker's first batch: the frames kept plus the tracker's own, in one go.
        this.walker = StackWalker.getInstance(Set.of(), depth + 8);
    }

    /** The number of the site of the current call, recorded on first sight. */
    int capture() {
        return capture(null);
    }

    /**
     * As {@link #capture()}, also skipping the frames of classes whose name starts with
     * {@code alsoSkip} (the wrapped heap's own frames, when its sampling hook is the caller).
     */
    int capture(String alsoSkip) {
        StackFrame[] frames = walker.walk(s -> s.dropWhile(f -> skipped(f.getClassName(), alsoSkip))
                .limit(depth).toArray(StackFrame[]::new));
        Key key = keyOf(frames);
        long hash = hash(key);
        synchronized (this) {
            Entry head = byHash.get(hash);
            for (Entry e = head; e != null; e = e.next) {
                if (e.key.sameAs(key)) {
                    return e.site.id();
                }
            }
            Site site = new Site(byId.size(), Arrays.stream(frames).map(StackFrame::toStackTraceElement).toList(),
                    Thread.currentThread().getName());
            byId.add(site);
            byHash.put(hash, new Entry(key, site, head));
            return site.id();
        }
    }

    /** The site numbered {@code id}, or {@link Site#UNKNOWN} for a negative id. */
    synchronized Site site(int id) {
        return id < 0 ? Site.UNKNOWN : byId.get(id);
    }

    /** How many distinct sites have been seen. */
    synchronized int size() {
        return byId.size();
    }

    private static boolean skipped(String className, String alsoSkip) {
        return FORWARDING.contains(className) || className.startsWith(TRACKER_NESTED)
                || (alsoSkip != null && className.startsWith(alsoSkip));
    }

    private static Key keyOf(StackFrame[] frames) {
        String[] classes = new String[frames.length];
        String[] methods = new String[frames.length];
        int[] bcis = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            classes[i] = frames[i].getClassName();
            methods[i] = frames[i].getMethodName();
            bcis[i] = frames[i].getByteCodeIndex();
        }
        return new Key(classes, methods, bcis);
    }

    private static long hash(Key key) {
        long h = 1;
        for (int i = 0; i < key.bcis.length; i++) {
            h = h * 0x9E3779B97F4A7C15L + key.classes[i].hashCode();
            h = h * 0x9E3779B97F4A7C15L + key.methods[i].hashCode();
            h = h * 0x9E3779B97F4A7C15L + key.bcis[i];
        }
        return h;
    }
}
