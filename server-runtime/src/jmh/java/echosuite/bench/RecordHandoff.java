package echosuite.bench;

import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;
import echosuite.runtime.ServerOptions;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The shape every "hand a record to the logger" benchmark shares, written once and inherited
 * (as in JMH's sample 24, inheritance): one consumer thread, started by the subclass, drains
 * the hand-off as a server's logger would, while 1, 2 or 4 producer threads, the connections,
 * each hand over {@value #RECORD_BYTES}-byte records as fast as the hand-off accepts them.
 *
 * <p>Measured: records handed over per second, summed over the producers. Because the
 * hand-off is bounded and drained by one consumer, the steady state is the rate at which
 * producer and consumer can meet; more producers show what contention on the hand-off costs.
 * On a two-core machine four producers and a consumer share two cores, which is also what a
 * busy server sees.
 *
 * <p>Pitfalls avoided: each subclass has exactly one idea (one hand-off); the producer count is
 * fixed per method with {@code @Threads}, so every count gets its own fork and JIT profile
 * instead of sharing one; producer data lives in a per-thread {@code @State}, so producers do
 * not contend on anything but the hand-off itself.
 *
 * <p>It lives in server-runtime's JMH source set because the hand-offs of the server modules
 * extend it ({@code echosuite.runtime.RecordLogHandoff} here, the forking server's pipe) as well
 * as the JDK-primitive ones in {@code benchmarks/}; its package stays {@code echosuite.bench}, the
 * package of the benchmarks that are not a module's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public abstract class RecordHandoff {

    /** A typical echoed line: 63 bytes of text and its {@code \n}. */
    public static final int RECORD_BYTES = 64;

    /** One producer's own record and buffers (one per benchmark thread). */
    @State(Scope.Thread)
    public static class Producer {
        /** One whole record: {@value #RECORD_BYTES} bytes ending in {@code \n}. */
        public final byte[] record = newRecord(RECORD_BYTES);
        /** The record wrapped for channel writes; rewound before each write. */
        public final ByteBuffer buffer = ByteBuffer.wrap(record);
        /** The connection's framer and batch, for hand-offs that take a {@link RecordBatch}. */
        public final RecordFramer framer = new RecordFramer(ServerOptions.DEFAULT_MAX_LINE);
        public final RecordBatch batch = new RecordBatch();
    }

    /** Hands one record from {@code producer} to the consumer, blocking while the hand-off is full. */
    protected abstract void handOver(Producer producer) throws Exception;

    @Benchmark
    @Threads(1)
    public void oneProducer(Producer producer) throws Exception {
        handOver(producer);
    }

    @Benchmark
    @Threads(2)
    public void twoProducers(Producer producer) throws Exception {
        handOver(producer);
    }

    @Benchmark
    @Threads(4)
    public void fourProducers(Producer producer) throws Exception {
        handOver(producer);
    }

    /** {@code bytes} bytes of printable text ending in {@code \n}: one whole record. */
    public static byte[] newRecord(int bytes) {
        byte[] record = new byte[bytes];
        Arrays.fill(record, (byte) 'x');
        record[bytes - 1] = '\n';
        return record;
    }
}
