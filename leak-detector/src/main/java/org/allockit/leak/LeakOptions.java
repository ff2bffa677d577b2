package org.allockit.leak;

import java.util.function.Consumer;

/**
 * How a {@link LeakTracker} works: its {@link Level}, how it records sites and guards blocks, and
 * what it does with what it finds.
 *
 * @param level            what is recorded and checked
 * @param stackDepth       frames kept per allocation site (callers of the allocator, innermost first)
 * @param sampler          which allocations record their site under {@link Level#SAMPLED}
 * @param redZoneBytes     bytes of red zone before and after each block under {@link Level#PARANOID}
 * @param quarantineBytes  freed bytes held back (poisoned) before they return to the allocator, under PARANOID
 * @param quarantineBlocks most freed blocks held in quarantine (PARANOID) or remembered by address (FULL)
 * @param errors           whether a memory error throws or is logged
 * @param reportAtExit     print the leak report on standard error when the JVM exits, if the tracker is still open
 * @param log              where logged errors and the leak report at {@code close()} go (one message per call)
 * @param confined         the caller promises to use the tracker from one thread at a time, so it takes
 *                         no locks even over a thread-safe allocator (and no longer claims to be thread-safe)
 */
public record LeakOptions(Level level, int stackDepth, Sampler sampler, int redZoneBytes, long quarantineBytes,
                          int quarantineBlocks, ErrorMode errors, boolean reportAtExit, Consumer<String> log,
                          boolean confined) {

    /** The default stack depth: 16 frames. */
    public static final int DEFAULT_STACK_DEPTH = 16;
    /** The default mean sampling interval: 512 KiB. */
    public static final long DEFAULT_SAMPLE_INTERVAL = 512 * 1024;
    /** The default red zone: 16 bytes on each side. */
    public static final int DEFAULT_RED_ZONE = 16;
    /** The largest red zone: 4 KiB on each side. */
    public static final int MAX_RED_ZONE = 4096;

    public LeakOptions {
        if (level == null || sampler == null || errors == null || log == null) {
            throw new IllegalArgumentException("level, sampler, errors and log must not be null");
        }
        if (stackDepth < 1) {
            throw new IllegalArgumentException("stackDepth must be at least 1: " + stackDepth);
        }
        if (redZoneBytes < 1 || redZoneBytes > MAX_RED_ZONE) {
            throw new IllegalArgumentException("redZoneBytes must be in [1, " + MAX_RED_ZONE + "]: " + redZoneBytes);
        }
        if (quarantineBytes < 0 || quarantineBlocks < 1) {
            throw new IllegalArgumentException("quarantine must hold at least one block and no negative bytes");
        }
    }

    /** The defaults for a level: 16 frames, 512 KiB sampling, 16-byte red zones, 4 MiB / 1024 blocks of quarantine, throw. */
    public static LeakOptions of(Level level) {
        System.Logger logger = System.getLogger("org.allockit.leak");
        return new LeakOptions(level, DEFAULT_STACK_DEPTH, Sampler.everyBytes(DEFAULT_SAMPLE_INTERVAL),
                DEFAULT_RED_ZONE, 4L << 20, 1024, ErrorMode.THROW, false,
                message -> logger.log(System.Logger.Level.WARNING, message), false);
    }

    public LeakOptions withStackDepth(int frames) {
        return new LeakOptions(level, frames, sampler, redZoneBytes, quarantineBytes, quarantineBlocks, errors,
                reportAtExit, log, confined);
    }

    /** Samples about one allocation per {@code meanBytes} bytes. */
    public LeakOptions withSampleInterval(long meanBytes) {
        return withSampler(Sampler.everyBytes(meanBytes));
    }

    public LeakOptions withSampler(Sampler newSampler) {
        return new LeakOptions(level, stackDepth, newSampler, redZoneBytes, quarantineBytes, quarantineBlocks, errors,
                reportAtExit, log, confined);
    }

    public LeakOptions withRedZone(int bytes) {
        return new LeakOptions(level, stackDepth, sampler, bytes, quarantineBytes, quarantineBlocks, errors,
                reportAtExit, log, confined);
    }

    public LeakOptions withQuarantine(long bytes, int blocks) {
        return new LeakOptions(level, stackDepth, sampler, redZoneBytes, bytes, blocks, errors, reportAtExit, log, confined);
    }

    public LeakOptions withErrors(ErrorMode mode) {
        return new LeakOptions(level, stackDepth, sampler, redZoneBytes, quarantineBytes, quarantineBlocks, mode,
                reportAtExit, log, confined);
    }

    public LeakOptions withReportAtExit(boolean report) {
        return new LeakOptions(level, stackDepth, sampler, redZoneBytes, quarantineBytes, quarantineBlocks, errors,
                report, log, confined);
    }

    public LeakOptions withLog(Consumer<String> newLog) {
        return new LeakOptions(level, stackDepth, sampler, redZoneBytes, quarantineBytes, quarantineBlocks, errors,
                reportAtExit, newLog, confined);
    }

    /** Promises use from one thread at a time: no locks, and {@code THREAD_SAFE} is not claimed. */
    public LeakOptions withConfinedUse() {
        return new LeakOptions(level, stackDepth, sampler, redZoneBytes, quarantineBytes, quarantineBlocks, errors,
                reportAtExit, log, true);
    }
}
