package org.allockit.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.allockit.bench.jmh.PooledMessages.Message;
import org.allockit.pool.object.ObjectPool;
import org.allockit.pool.object.Pooled;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does taking a reusable object from a pool and giving it back on the same thread cost?
 * allockit's {@link ObjectPool} (acquire + release) against Apache Commons Pool2's
 * {@code GenericObjectPool} (borrow + return) and Netty's {@code Recycler} (get + recycle). Run with
 * {@code -prof gc}: the pooled paths should allocate nothing. {@link ObjectPoolCrossThreadBenchmark}
 * measures release on another thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class ObjectPoolBenchmark {

    private ObjectPool<Message> pool;
    private GenericObjectPool<Message> commons;

    @Setup(Level.Trial)
    public void open() {
        pool = PooledMessages.allockit();
        commons = PooledMessages.commons();
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        commons.close();
    }

    @Benchmark
    public long allockit() {
        Pooled<Message> handle = pool.acquire();
        Message message = handle.get();
        message.id = 42;
        long id = message.id;
        handle.release();
        return id;
    }

    @Benchmark
    public long commonsPool() throws Exception {
        Message message = commons.borrowObject();
        message.id = 42;
        long id = message.id;
        commons.returnObject(message);
        return id;
    }

    @Benchmark
    public long nettyRecycler() {
        Message message = PooledMessages.RECYCLER.get();
        message.id = 42;
        long id = message.id;
        message.clear();
        message.handle.recycle(message);
        return id;
    }
}
