package org.allockit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry finds providers by name, options parse sizes and reject unknown settings, argument checks name the problem. */
class RegistryAndOptionsTest {

    @Test
    void registryFindsMallocByName() {
        assertTrue(Allocators.providers().stream().anyMatch(p -> p.name().equals("malloc")));
        try (Allocator heap = Allocators.create("malloc")) {
            assertEquals("malloc", heap.name());
        }
    }

    @Test
    void unknownAllocatorNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocators.create("nope"));
        assertTrue(e.getMessage().contains("malloc"), e.getMessage());
    }

    @Test
    void sizesParseWithUnits() {
        AllocatorOptions options = new AllocatorOptions(AllocatorOptions.defaults().pages(), null,
                Map.of("a", "64K", "b", "2M", "c", "1g", "d", "123"));
        assertEquals(64 * 1024, options.size("a", 0));
        assertEquals(2 << 20, options.size("b", 0));
        assertEquals(1L << 30, options.size("c", 0));
        assertEquals(123, options.size("d", 0));
        assertEquals(7, options.size("absent", 7));
        assertThrows(IllegalArgumentException.class,
                () -> AllocatorOptions.defaults().withSetting("x", "lots").size("x", 0));
    }

    @Test
    void unknownSettingsAreRejected() {
        AllocatorOptions options = AllocatorOptions.defaults().withSetting("mmap_treshold", "1M");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.rejectUnknown("dl", Set.of("mmap_threshold")));
        assertTrue(e.getMessage().contains("mmap_treshold"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Allocators.create("malloc", options));
    }

    @Test
    void argumentChecksNameTheValueAndAllocator() {
        InvalidSizeException negative = assertThrows(InvalidSizeException.class,
                () -> InvalidSizeException.check("dl", -5, 16));
        assertEquals("dl: size -5 is negative", negative.getMessage());
        InvalidAlignmentException notPowerOfTwo = assertThrows(InvalidAlignmentException.class,
                () -> InvalidSizeException.check("dl", 5, 24));
        assertEquals("dl: alignment 24 is not a power of two", notPowerOfTwo.getMessage());
        assertThrows(InvalidAlignmentException.class, () -> InvalidSizeException.check("dl", 5, 0));
        assertThrows(InvalidSizeException.class, () -> InvalidSizeException.check("dl", Long.MAX_VALUE / 2, 16));
        assertThrows(InvalidSizeException.class, () -> InvalidSizeException.check("dl", Allocator.MAX_SIZE - 8, 64));
        InvalidSizeException.check("dl", 0, 1);
        InvalidSizeException.check("dl", 1 << 20, Allocator.MAX_ALIGNMENT);
    }
}
