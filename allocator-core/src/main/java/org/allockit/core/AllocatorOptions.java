package org.allockit.core;

import java.util.Map;
import org.allockit.core.os.PageSource;

/**
 * What a new allocator is built over: where its pages come from, the probe that watches it (or
 * {@code null}), and named settings in the allocator's own terms ({@code mmap_threshold=262144}).
 * Settings an allocator does not know are rejected by it, so a misspelt one is never ignored.
 */
public record AllocatorOptions(PageSource pages, MemoryProbe probe, Map<String, String> settings) {

    public AllocatorOptions {
        if (pages == null) {
            throw new IllegalArgumentException("pages must not be null");
        }
        settings = Map.copyOf(settings);
    }

    /** The OS page source, no probe, no settings. */
    public static AllocatorOptions defaults() {
        return new AllocatorOptions(PageSource.os(), null, Map.of());
    }

    public AllocatorOptions withPages(PageSource newPages) {
        return new AllocatorOptions(newPages, probe, settings);
    }

    /** These options with a probe; the page source reports its mappings to the probe too. */
    public AllocatorOptions withProbe(MemoryProbe newProbe) {
        return new AllocatorOptions(pages, newProbe, settings);
    }

    public AllocatorOptions withSetting(String key, String value) {
        var copy = new java.util.HashMap<>(settings);
        copy.put(key, value);
        return new AllocatorOptions(pages, probe, copy);
    }

    /** A numeric setting, or {@code fallback} when it is absent. Sizes may end in K, M or G. */
    public long size(String key, long fallback) {
        String text = settings.get(key);
        return text == null ? fallback : parseSize(key, text);
    }

    /** Throws when a setting is present that {@code known} does not list. */
    public void rejectUnknown(String allocator, java.util.Set<String> known) {
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(allocator + ": unknown setting '" + key + "' (known: " + known + ")");
            }
        }
    }

    static long parseSize(String key, String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("KIB")) {
            unit = 1L << 10;
        } else if (t.endsWith("M") || t.endsWith("MIB")) {
            unit = 1L << 20;
        } else if (t.endsWith("G") || t.endsWith("GIB")) {
            unit = 1L << 30;
        }
        String digits = t.replaceAll("[KMGIB]+$", "");
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("setting '" + key + "': '" + text + "' is not a size", e);
        }
    }
}
