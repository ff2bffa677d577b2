package org.allockit.bench.jmh;

import io.netty.util.Recycler;
import org.allockit.pool.object.ObjectPool;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/** The object the pool benchmarks pool, and the three pools of it they compare, configured alike. */
final class PooledMessages {

    /** The pooled object: a few fields a reset clears, and Netty's handle. */
    static final class Message {
        long id;
        long timestamp;
        final byte[] body = new byte[64];
        Recycler.EnhancedHandle<Message> handle;

        void clear() {
            id = 0;
            timestamp = 0;
        }
    }

    /** Netty's recycler (one per JVM, as Netty uses it). */
    static final Recycler<Message> RECYCLER = new Recycler<>() {
        @Override
        protected Message newObject(Handle<Message> handle) {
            Message message = new Message();
            message.handle = (EnhancedHandle<Message>) handle;
            return message;
        }
    };

    private static final int MAXIMUM = 4096;

    private PooledMessages() {
    }

    static ObjectPool<Message> allockit() {
        return new ObjectPool<>("messages", Message::new, Message::clear, MAXIMUM);
    }

    static GenericObjectPool<Message> commons() {
        GenericObjectPoolConfig<Message> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(-1); // no cap on objects lent out: a cap would block borrowers (as ours never does)
        config.setMaxIdle(MAXIMUM); // the cap on idle objects, as ObjectPool's maximum
        config.setJmxEnabled(false);
        return new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public Message create() {
                return new Message();
            }

            @Override
            public PooledObject<Message> wrap(Message message) {
                return new DefaultPooledObject<>(message);
            }

            @Override
            public void passivateObject(PooledObject<Message> pooled) {
                pooled.getObject().clear();
            }
        }, config);
    }
}
