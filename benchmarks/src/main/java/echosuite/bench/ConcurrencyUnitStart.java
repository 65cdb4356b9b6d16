package echosuite.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What it costs to start a unit of concurrency and hand it one task, to completion: what a
 * thread-per-client server pays per connection (a platform thread), what the virtual-thread
 * server pays (a virtual thread), and what a pool would pay instead (a task handed to an idle
 * thread of a cached pool, no thread created). The child-JVM equivalent, the forking server's
 * price, is {@code echosuite.forking.ChildJvmFirstByte}.
 *
 * <p>Measured: average time of start + run + join, in microseconds. Expect the virtual thread
 * and the pooled task to cost a few microseconds (a hand-off between carriers) and the platform
 * thread tens of microseconds ({@code clone()} of a kernel thread, its stack mapping, and the
 * exit), i.e. an order of magnitude apart; the child JVM is thousands of times more.
 *
 * <p>Pitfalls avoided: the task computes from a {@code @State} field, not a constant, so the
 * JIT cannot fold it; its result is returned, so JMH sinks it into a {@code Blackhole} and the
 * work is not dead code; join/get make each operation include completion, not just the start
 * (a start alone would measure only the enqueue). Forked twice so that one JVM's
 * thread-scheduling luck does not decide the figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ConcurrencyUnitStart {

    /** Input of the task; a field so that the task's result is not a compile-time constant. */
    private int input = 41;
    private ExecutorService cachedPool;

    /** The one task every unit runs: a trivial computation whose result the caller reads after completion. */
    static final class Task implements Runnable {
        private final int input;
        int result;   // written by the unit, read by the caller after join (join is a happens-before edge)

        Task(int input) {
            this.input = input;
        }

        @Override
        public void run() {
            result = input * 31 + 1;
        }
    }

    @Setup
    public void startPool() {
        cachedPool = Executors.newCachedThreadPool();
    }

    @TearDown
    public void stopPool() throws InterruptedException {
        cachedPool.shutdown();
        if (!cachedPool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the cached pool did not stop within 10 s");
        }
    }

    @Benchmark
    public int platformThreadStartAndJoin() throws InterruptedException {
        Task task = new Task(input);
        Thread.ofPlatform().start(task).join();
        return task.result;
    }

    @Benchmark
    public int virtualThreadStartAndJoin() throws InterruptedException {
        Task task = new Task(input);
        Thread.ofVirtual().start(task).join();
        return task.result;
    }

    /** After the first operation the pool has an idle thread, so this measures the hand-off to it, not a thread start. */
    @Benchmark
    public int cachedPoolSubmitAndGet() throws InterruptedException, ExecutionException {
        Task task = new Task(input);
        cachedPool.submit(task).get();
        return task.result;
    }
}
