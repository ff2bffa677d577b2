package org.allockit.leak.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.allockit.core.Allocator;
import org.allockit.core.Allocators;
import org.allockit.leak.LeakOptions;
import org.allockit.leak.LeakReport;
import org.allockit.leak.LeakTracker;
import org.allockit.leak.Level;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link LeakCheck}: resolves {@link Allocator} and {@link LeakTracker}
 * parameters of test methods (and of their {@code @BeforeEach}/{@code @AfterEach} methods) to new
 * trackers, and after each test closes them and fails the test when one leaked more than allowed,
 * found a memory error or lost a handle. Use it through the annotation, or register it in a field
 * to wrap an allocator of one's own:
 *
 * <pre>{@code
 * @RegisterExtension
 * static LeakCheckExtension leaks = LeakCheckExtension.wrapping(MyAllocator::new, Level.PARANOID, 0);
 * }</pre>
 *
 * A {@link LeakCheck} annotation on the method or class overrides a registered extension's settings.
 * Memory errors are thrown where they happen and also fail the test if the test caught them.
 * Thread-safe as JUnit requires: each test's trackers live in that test's store.
 */
public final class LeakCheckExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    private final Supplier<Allocator> allocator;
    private final Level level;
    private final long allowedBytes;

    /** The extension as {@link LeakCheck} uses it: settings from the annotation. */
    public LeakCheckExtension() {
        this(null, Level.FULL, 0);
    }

    private LeakCheckExtension(Supplier<Allocator> allocator, Level level, long allowedBytes) {
        this.allocator = allocator;
        this.level = level;
        this.allowedBytes = allowedBytes;
    }

    /** An extension whose trackers wrap allocators from {@code allocator}, at {@code level}, allowing {@code allowedBytes}. */
    public static LeakCheckExtension wrapping(Supplier<Allocator> allocator, Level level, long allowedBytes) {
        return new LeakCheckExtension(allocator, level, allowedBytes);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (type == Allocator.class || type == LeakTracker.class) && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<LeakCheck> settings = settings(context);
        Allocator inner = settings.map(s -> Allocators.create(s.allocator()))
                .orElseGet(() -> allocator == null ? Allocators.create("malloc") : allocator.get());
        Level chosen = settings.map(LeakCheck::level).orElse(level);
        // The failure message carries the report, so the tracker logs nothing itself.
        LeakTracker tracker = LeakTracker.wrap(inner, LeakOptions.of(chosen).withLog(message -> { }));
        trackers(context).add(tracker);
        return tracker;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        long allowed = settings(context).map(LeakCheck::allowedBytes).orElse(allowedBytes);
        StringBuilder failures = new StringBuilder();
        for (LeakTracker tracker : trackers(context)) {
            tracker.close();
            LeakReport report = tracker.report();
            boolean leaked = report.bytes() > allowed || (allowed == 0 && report.blocks() > 0);
            if (leaked || !report.errors().isEmpty() || !report.unreachable().isEmpty()) {
                failures.append(report.bytes()).append(" bytes left live (allowed ").append(allowed).append("), ")
                        .append(report.errors().size()).append(" memory errors:\n").append(report.toText());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("leak check failed for " + context.getDisplayName() + ": " + failures);
        }
    }

    private static Optional<LeakCheck> settings(ExtensionContext context) {
        Optional<LeakCheck> onMethod = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, LeakCheck.class));
        return onMethod.isPresent() ? onMethod : AnnotationSupport.findAnnotation(context.getTestClass(), LeakCheck.class);
    }

    @SuppressWarnings("unchecked")
    private static List<LeakTracker> trackers(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("trackers", k -> new ArrayList<LeakTracker>(), List.class);
    }
}
