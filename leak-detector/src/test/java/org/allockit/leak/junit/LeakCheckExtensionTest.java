package org.allockit.leak.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.leak.LeakTracker;
import org.allockit.leak.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs sample test classes under the extension and checks which of them fail, and with what message. */
class LeakCheckExtensionTest {

    private static final String RUN_SAMPLES = "allockit.leakcheck.samples";

    @LeakCheck(level = Level.FULL)
    @EnabledIfSystemProperty(named = RUN_SAMPLES, matches = "run")
    static class Samples {

        @Test
        void clean(Allocator memory) {
            memory.free(memory.alloc(64));
        }

        @Test
        void leaks(Allocator memory) {
            leakyHelper(memory);
        }

        @Test
        @LeakCheck(allowedBytes = 100)
        void leaksWithinItsAllowance(Allocator memory) {
            memory.alloc(100);
        }

        @Test
        @LeakCheck(allowedBytes = 100)
        void leaksBeyondItsAllowance(Allocator memory) {
            memory.alloc(101);
        }

        @Test
        @LeakCheck(level = Level.PARANOID)
        void overflowsEvenIfItCatchesTheError(LeakTracker memory) {
            long block = memory.alloc(16);
            MemorySegment.NULL.reinterpret(Long.MAX_VALUE).set(ValueLayout.JAVA_BYTE, block + 16, (byte) 0);
            try {
                memory.free(block);
            } catch (RuntimeException swallowed) {
                // The test hides the error; the extension still fails it.
            }
        }

        @Test
        void getsItsOwnTrackers(Allocator a, LeakTracker b) {
            assertInstanceOf(LeakTracker.class, a);
            assertEquals(Level.FULL, b.level());
            a.free(a.alloc(1));
            b.free(b.alloc(1));
        }

        private static void leakyHelper(Allocator memory) {
            memory.alloc(24);
        }
    }

    @EnabledIfSystemProperty(named = RUN_SAMPLES, matches = "run")
    static class Registered {

        @RegisterExtension
        static LeakCheckExtension leaks = LeakCheckExtension.wrapping(() -> Allocators.create("malloc"), Level.COUNT, 0);

        @Test
        void leaksUnderCount(LeakTracker memory) {
            assertEquals(Level.COUNT, memory.level());
            memory.alloc(7);
        }
    }

    @Test
    void failsExactlyTheTestsThatLeakOrCorrupt() {
        Map<String, TestExecutionResult> results = run(Samples.class);
        assertEquals(List.of("clean", "getsItsOwnTrackers", "leaks", "leaksBeyondItsAllowance",
                "leaksWithinItsAllowance", "overflowsEvenIfItCatchesTheError"), List.copyOf(results.keySet()));
        assertPassed(results.get("clean"));
        assertPassed(results.get("getsItsOwnTrackers"));
        assertPassed(results.get("leaksWithinItsAllowance"));
        String leak = failure(results.get("leaks"));
        assertTrue(leak.contains("24 bytes left live (allowed 0)"), leak);
        assertTrue(leak.contains("leakyHelper"), "the report names the site: " + leak);
        assertTrue(failure(results.get("leaksBeyondItsAllowance")).contains("101 bytes left live (allowed 100)"));
        String overflow = failure(results.get("overflowsEvenIfItCatchesTheError"));
        assertTrue(overflow.contains("OVERFLOW: heap-buffer-overflow: byte 16"), overflow);
    }

    @Test
    void aRegisteredExtensionWrapsItsOwnAllocator() {
        String leak = failure(run(Registered.class).get("leaksUnderCount"));
        assertTrue(leak.contains("malloc (COUNT): 1 block, 7 bytes live"), leak);
    }

    private static void assertPassed(TestExecutionResult result) {
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, result.getStatus(),
                () -> result.getThrowable().map(Throwable::toString).orElse(""));
    }

    private static String failure(TestExecutionResult result) {
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus());
        return result.getThrowable().orElseThrow().getMessage();
    }

    private static Map<String, TestExecutionResult> run(Class<?> samples) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        System.setProperty(RUN_SAMPLES, "run");
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(samples)).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (test.getSource().orElse(null) instanceof MethodSource method) {
                                results.put(method.getMethodName(), result);
                            }
                        }
                    });
        } finally {
            System.clearProperty(RUN_SAMPLES);
        }
        return results;
    }
}
