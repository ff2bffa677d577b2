package org.allockit.bench.jmh;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JMH's worker pool made of Netty {@link FastThreadLocalThread}s, Netty's best case: a benchmark
 * runs its threads here with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class (JMH calls
 * the {@code (int, String)} constructor). Every contender of such a benchmark runs on the same threads.
 */
public final class FastThreadExecutor extends ThreadPoolExecutor {

    public FastThreadExecutor(int threads, String prefix) {
        super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new Factory(prefix));
    }

    private static final class Factory implements java.util.concurrent.ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger();

        Factory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new FastThreadLocalThread(task, prefix + "-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
