package echosuite.bench;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hand a record to the logger through an {@link ArrayBlockingQueue} of 1,024 slots: the
 * textbook bounded producer/consumer queue, one lock for both ends. It is the reference point
 * for {@link echosuite.runtime.RecordLogHandoff} (what the servers really use) and
 * {@link NioPipeHandoff} (a byte stream instead of object references).
 *
 * <p>Expect millions of records per second with one producer, and less per producer (often
 * less in total) as producers are added, because every put and take takes the same lock.
 *
 * <p>Pitfall avoided: the consumer is a real thread that blocks in {@code take()}, as a
 * logger does; a benchmark that offered and polled on the same thread would measure an
 * uncontended lock and no thread wake-ups.
 */
public class QueueHandoff extends RecordHandoff {

    static final int CAPACITY = 1024;

    private BlockingQueue<byte[]> queue;
    private Thread consumer;

    @Setup
    public void startConsumer() {
        queue = new ArrayBlockingQueue<>(CAPACITY);
        consumer = Thread.ofPlatform().name("queue-consumer").daemon(true).start(() -> {
            try {
                while (true) queue.take();
            } catch (InterruptedException stopped) {
                // the tear-down stops the consumer; the producers have finished by then
            }
        });
    }

    @Override
    protected void handOver(Producer producer) throws InterruptedException {
        queue.put(producer.record);
    }

    @TearDown
    public void stopConsumer() throws InterruptedException {
        consumer.interrupt();
        consumer.join();
    }
}
