package echosuite.runtime;

import echosuite.bench.RecordHandoff;
import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The protocol module's {@link RecordFramer} on one read that holds one whole message of 64 B,
 * 1 KiB or 64 KiB (the largest record the default {@code --max-line} allows in one piece),
 * followed by {@link RecordBatch#take()}, which copies the records out for the logger: what
 * every server does with every read.
 *
 * <p>Measured: reads framed per second (the primary score) and bytes framed per second (the
 * secondary score {@code bytes}, an {@code @AuxCounters} counter). Expect hundreds of MB/s to
 * several GB/s, limited by the byte-by-byte newline scan and the copies, which is far more than
 * a loopback connection delivers: the framer must not be what limits a server, and this shows
 * whether it is.
 *
 * <p>Pitfalls avoided: the message is built in the set-up and held in a {@code @State} field,
 * so the JIT cannot constant-fold the scan; the copied batch is returned, so JMH sinks it into a
 * {@code Blackhole} and the work is not dead code; the byte counter is reset per iteration, as
 * {@code @AuxCounters} requires.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RecordFramerThroughput {

    /** Size of the one message in each read, in bytes, including its {@code \n}. */
    @Param({"64", "1024", "65536"})
    public int messageBytes;

    private byte[] message;
    private RecordFramer framer;
    private RecordBatch batch;

    /** Bytes framed, reported by JMH as a rate next to the primary score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class BytesFramed {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void prepareMessage() {
        message = RecordHandoff.newRecord(messageBytes);
        framer = new RecordFramer(ServerOptions.DEFAULT_MAX_LINE);
        batch = new RecordBatch();
    }

    @Benchmark
    public byte[] frameOneReadAndTakeTheBatch(BytesFramed counter) {
        framer.frame(message, 0, message.length, batch);
        counter.bytes += message.length;
        return batch.take();
    }
}
