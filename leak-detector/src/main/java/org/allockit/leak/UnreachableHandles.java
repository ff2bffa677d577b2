package org.allockit.leak;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds handles that were dropped without being released, the way Netty's ResourceLeakDetector
 * does: an object with identity that stands for an off-heap block (a pool's record handle, a buffer
 * wrapper) is registered when it is created, with the block it stands for and the site; it calls
 * {@link Registration#release()} when it frees the block. If the garbage collector finds the handle
 * unreachable first, a {@link Cleaner} action records a {@link HandleLeak} and logs it. Detection
 * needs a GC, so it is late but never wrong: a released handle is never reported.
 *
 * <p>Thread-safe: handles may be registered and released from any thread; the Cleaner's thread
 * records the leaks.
 */
public final class UnreachableHandles {

    private static final Cleaner CLEANER = Cleaner.create();

    private final SiteTable sites;
    private final Consumer<String> log;
    private final List<HandleLeak> leaks = new ArrayList<>();

    UnreachableHandles(SiteTable sites, Consumer<String> log) {
        this.sites = sites;
        this.log = log;
    }

    /** A detector of its own, recording {@code stackDepth} frames per registration and logging to {@code log}. */
    public static UnreachableHandles create(int stackDepth, Consumer<String> log) {
        return new UnreachableHandles(new SiteTable(stackDepth), log);
    }

    /**
     * Watches {@code handle}, which stands for the block of {@code bytes} bytes at {@code address};
     * the returned registration must be released when the block is freed. Keep it in the handle
     * itself: nothing the registration reaches refers back to the handle, so it does not keep the
     * handle alive.
     */
    public Registration register(Object handle, long address, long bytes) {
        Site site = sites.site(sites.capture());
        Watch watch = new Watch(this, handle.getClass().getName(), address, bytes, site);
        return new Registration(watch, CLEANER.register(handle, watch));
    }

    /** The handles found unreachable so far, oldest first. */
    public synchronized List<HandleLeak> leaks() {
        return List.copyOf(leaks);
    }

    private void found(HandleLeak leak) {
        synchronized (this) {
            leaks.add(leak);
        }
        log.accept("unreachable handle: " + leak.type() + " for " + leak.bytes() + " bytes at 0x"
                + Long.toHexString(leak.address()) + " was never released; registered at:\n" + leak.site().format("    "));
    }

    /** A watched handle's release token. */
    public static final class Registration {

        private final Watch watch;
        private final Cleaner.Cleanable cleanable;

        private Registration(Watch watch, Cleaner.Cleanable cleanable) {
            this.watch = watch;
            this.cleanable = cleanable;
        }

        /** The handle freed its block: stop watching it. Releasing twice is harmless. */
        public void release() {
            watch.released = true;
            cleanable.clean();
        }
    }

    /** The Cleaner action: holds everything the report needs and nothing that reaches the handle. */
    private static final class Watch implements Runnable {

        private final UnreachableHandles owner;
        private final String type;
        private final long address;
        private final long bytes;
        private final Site site;
        private volatile boolean released;

        Watch(UnreachableHandles owner, String type, long address, long bytes, Site site) {
            this.owner = owner;
            this.type = type;
            this.address = address;
            this.bytes = bytes;
            this.site = site;
        }

        @Override
        public void run() {
            if (!released) {
                owner.found(new HandleLeak(type, address, bytes, site));
            }
        }
    }
}
