package org.allockit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.allockit.bench.jmh.PooledMessages.Message;
import org.allockit.pool.object.ObjectPool;
import org.allockit.pool.object.Pooled;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * What does a pooled object cost when it is released on another thread than the one that took it?
 * In each group one thread acquires and hands the object over a single-producer queue to a second
 * thread that releases it; the score is per hand-over, queue included (the same queue for all three;
 * on a loaded machine the threads' scheduling dominates, so compare the three within one run):
 * allockit's {@link ObjectPool}, Commons Pool2's {@code GenericObjectPool} and Netty's {@code Recycler}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Group)
public class ObjectPoolCrossThreadBenchmark {

    private ObjectPool<Message> pool;
    private GenericObjectPool<Message> commons;
    private OneToOneConcurrentArrayQueue<Object> handoff;

    @Setup(Level.Trial)
    public void open() {
        pool = PooledMessages.allockit();
        commons = PooledMessages.commons();
        handoff = new OneToOneConcurrentArrayQueue<>(1024);
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        commons.close();
    }

    @Benchmark
    @Group("allockitCrossThread")
    public void allockitAcquire(Control control) {
        Pooled<Message> handle = pool.acquire();
        handle.get().id = 42;
        offer(handle, control);
    }

    @Benchmark
    @Group("allockitCrossThread")
    public void allockitRelease(Control control) {
        @SuppressWarnings("unchecked")
        Pooled<Message> handle = (Pooled<Message>) poll(control);
        if (handle != null) {
            handle.release();
        }
    }

    @Benchmark
    @Group("commonsPoolCrossThread")
    public void commonsBorrow(Control control) throws Exception {
        Message message = commons.borrowObject();
        message.id = 42;
        offer(message, control);
    }

    @Benchmark
    @Group("commonsPoolCrossThread")
    public void commonsReturn(Control control) {
        Message message = (Message) poll(control);
        if (message != null) {
            commons.returnObject(message);
        }
    }

    @Benchmark
    @Group("nettyRecyclerCrossThread")
    public void recyclerGet(Control control) {
        Message message = PooledMessages.RECYCLER.get();
        message.id = 42;
        offer(message, control);
    }

    @Benchmark
    @Group("nettyRecyclerCrossThread")
    public void recyclerRecycle(Control control) {
        Message message = (Message) poll(control);
        if (message != null) {
            message.clear();
            message.handle.recycle(message);
        }
    }

    /**
     * Hands an object to the other thread, yielding while the queue is full (dropping it when the run
     * stops); yielding rather than spinning keeps the pair moving on a machine with fewer free cores.
     */
    private void offer(Object item, Control control) {
        while (!handoff.offer(item)) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
    }

    /** Takes the next object from the other thread, yielding while none is there; null when the run stops. */
    private Object poll(Control control) {
        Object item;
        while ((item = handoff.poll()) == null) {
            if (control.stopMeasurement) {
                return null;
            }
            Thread.yield();
        }
        return item;
    }
}
