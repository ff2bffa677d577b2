package org.allockit.leak.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.allockit.leak.Level;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of a class (or one test method) with tracked allocators: every parameter of type
 * {@code Allocator} or {@code LeakTracker} gets a new tracker over a new registry allocator, and the
 * test fails, with the leak report in its message, if at its end more than {@link #allowedBytes()}
 * bytes are still live, a memory error was found, or a handle was found unreachable. A method's
 * annotation overrides its class's.
 *
 * <pre>{@code
 * @LeakCheck(allocator = "malloc", level = Level.PARANOID)
 * class ParserTest {
 *     @Test void parses(Allocator memory) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(LeakCheckExtension.class)
public @interface LeakCheck {

    /** The registry name of the allocator each tracker wraps. */
    String allocator() default "malloc";

    /** The tracking level. */
    Level level() default Level.FULL;

    /** Bytes the test may leave live (a known cache, say) without failing; errors always fail. */
    long allowedBytes() default 0;
}
