package org.allockit.bench.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The named configurations: {@code cachegrind} (I1, D1 and LL only, with exactly cachegrind's rules:
 * true LRU, accesses clamped to the smallest line; no TLB, no pages), {@code skylake-sp} (Intel
 * Skylake-SP caches and data TLBs, pages on), {@code host} (this machine's caches as
 * {@code /sys/devices/system/cpu/cpu0/cache} describes them, Skylake-SP TLBs) and
 * {@code cachegrind-host} (what cachegrind simulates on this machine when given no cache options:
 * its first levels and its last level, the latter reshaped to a power-of-two number of sets as
 * cachegrind does, with cachegrind's rules).
 */
public final class Presets {

    public static final List<String> NAMES = List.of("cachegrind", "skylake-sp", "host", "cachegrind-host");
    private static final Path SYS_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private Presets() {
    }

    public static SimConfig named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cachegrind" -> cachegrind();
            case "skylake-sp", "skylake" -> skylake();
            case "host" -> host(SYS_CACHES);
            case "cachegrind-host" -> cachegrindHost(SYS_CACHES);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    /** Cachegrind's usual Intel geometry: I1 and D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines. */
    public static SimConfig cachegrind() {
        return new SimConfig("cachegrind", new CacheGeometry(32768, 8, 64), new CacheGeometry(32768, 8, 64),
                List.of(new CacheGeometry(8 << 20, 16, 64)), Replacement.LRU, 1, true, null, false,
                new CostModel(new long[] {4, 42}, 200, 8, 25, 5000));
    }

    /** L1 32 KiB 8-way, L2 1 MiB 16-way, L3 22 MiB 11-way (16 slices of 1.375 MiB; override with --L3). */
    public static SimConfig skylake() {
        return new SimConfig("skylake-sp", new CacheGeometry(32768, 8, 64), new CacheGeometry(32768, 8, 64),
                List.of(new CacheGeometry(1 << 20, 16, 64), new CacheGeometry(22528L << 10, 11, 64)),
                Replacement.LRU, 1, false, TlbConfig.skylake(), true, CostModel.skylake());
    }

    /**
     * Cachegrind's choice for the machine {@code dir} describes: I1, D1 and the last level as LL. An LL
     * whose set count is not a power of two gets the power of two below it and its associativity
     * scaled up by the same factor (rounded down), as cachegrind warns ("simulated LL cache").
     */
    public static SimConfig cachegrindHost(Path dir) {
        SimConfig host = host(dir);
        CacheGeometry ll = host.shared().isEmpty() ? host.d1() : host.shared().getLast();
        int sets = ll.sets();
        int powerOfTwo = Integer.highestOneBit(sets);
        int ways = (int) ((long) ll.ways() * sets / powerOfTwo);
        CacheGeometry simulated = new CacheGeometry((long) powerOfTwo * ways * ll.lineSize(), ways, ll.lineSize());
        return new SimConfig("cachegrind-host", host.i1(), host.d1(), List.of(simulated), Replacement.LRU, 1, true, null,
                false, cachegrind().cost());
    }

    /** This machine's caches, read from {@code dir} ({@code index*} folders with level, type, size, ways, line size). */
    public static SimConfig host(Path dir) {
        CacheGeometry i1 = null;
        CacheGeometry d1 = null;
        TreeMap<Integer, CacheGeometry> unified = new TreeMap<>();
        try (var entries = Files.list(dir)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                int level = Integer.parseInt(read(index, "level"));
                String type = read(index, "type");
                CacheGeometry g = new CacheGeometry(CacheGeometry.parseSize(read(index, "size")),
                        Integer.parseInt(read(index, "ways_of_associativity")), Integer.parseInt(read(index, "coherency_line_size")));
                switch (type) {
                    case "Instruction" -> i1 = g;
                    case "Data" -> d1 = g;
                    default -> unified.put(level, g);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's caches from " + dir, e);
        }
        if (i1 == null || d1 == null) {
            throw new IllegalStateException(dir + " does not describe split first-level caches");
        }
        return new SimConfig("host", i1, d1, new ArrayList<>(unified.values()), Replacement.LRU, 1, false,
                TlbConfig.skylake(), true, CostModel.skylake());
    }

    private static String read(Path index, String file) throws IOException {
        return Files.readString(index.resolve(file)).trim();
    }
}
