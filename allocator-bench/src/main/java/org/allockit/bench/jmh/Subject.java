package org.allockit.bench.jmh;

import org.allockit.bench.contender.Contender;
import org.allockit.bench.contender.Contenders;
import org.allockit.bench.workload.Workload;
import org.allockit.bench.workload.Workloads;

/**
 * What a benchmark measures: a contender and a run of a workload over it, opened in a trial's setup
 * and closed in its tear-down. The benchmarks run the same workload code as {@code ./allockit shootout}.
 *
 * <p>The default contender list of every benchmark is {@link #DEFAULT_CONTENDERS}; name any registry
 * allocator with {@code -p contender=dl,tc}. {@code arena-slicing} never frees, so it is left out of
 * the defaults: a JMH trial would use up its budget.
 */
final class Subject {

    static final String DEFAULT_CONTENDERS = "malloc,arena-confined,direct-buffer,netty-pooled,netty-adaptive";

    final Contender contender;
    final Workload.Run run;

    Subject(String contender, String workload, int threads) {
        this.contender = Contenders.create(contender);
        this.run = Workloads.create(workload).start(this.contender, threads, 42);
    }

    void close() {
        run.close();
        contender.close();
    }
}
