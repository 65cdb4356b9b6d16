package echosuite.forking;

import echosuite.bench.RecordHandoff;
import echosuite.forking.frames.FrameAssembler;
import echosuite.forking.frames.FrameReader;
import echosuite.forking.frames.FrameWriter;
import echosuite.forking.frames.LoggerCounters;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand a record to the logger the way the forking server's handler children do: frame the read
 * into a batch and give it to the server's {@link FrameWriter}, which writes it to an OS pipe as
 * checksummed frames of at most {@code PIPE_BUF} bytes, one {@code write()} each. Every producer
 * thread stands for one handler child: it has its own {@code FileOutputStream} on the pipe
 * (opened through {@code /proc/self/fd}, as the child opens its fd 3) and its own writer id. The
 * consumer does what the logger process does before its file: {@link FrameReader} reads the pipe
 * in large chunks and {@link FrameAssembler} puts each writer's batches back together.
 *
 * <p>Expect about the rate of {@code echosuite.bench.NioPipeHandoff} or a little less: the same one system call
 * per record, plus a 20-byte header and a CRC-32C per frame; what it buys is that records of
 * concurrent writers never tear, whatever their length. Unlike the NIO pipe, the producers do not
 * share a Java lock, only the kernel's pipe.
 *
 * <p>Pitfalls avoided: the consumer decodes every frame, as the logger must, rather than
 * discarding bytes (which would let the writers run ahead of a real logger); the tear-down
 * checks that batches arrived and none was lost. Each producer's writer lives in a thread-local,
 * because a {@code FrameWriter} is used by one thread at a time and the per-thread state of
 * {@link RecordHandoff} cannot hold a class of this package; a thread-local lookup costs
 * nanoseconds next to the microseconds of a {@code write()}.
 */
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FramedPipeHandoff extends RecordHandoff {

    private int readFd;
    private int writeFd;
    private Thread consumer;
    private final List<FileOutputStream> producerStreams = new CopyOnWriteArrayList<>();
    private final AtomicInteger writerIds = new AtomicInteger(1);
    private ThreadLocal<FrameWriter> writers;
    private volatile long batchesAssembled;
    private volatile long recordsLost;
    private volatile IOException consumerFailure;

    @Setup
    public void startConsumer() throws IOException {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        readFd = pipe[0];
        writeFd = pipe[1];
        writers = ThreadLocal.withInitial(this::newWriter);
        FileInputStream in = new FileInputStream("/proc/self/fd/" + readFd);
        consumer = Thread.ofPlatform().name("frame-consumer").daemon(true).start(() -> consume(in));
    }

    @Override
    protected void handOver(Producer producer) throws IOException {
        producer.framer.frame(producer.record, 0, producer.record.length, producer.batch);
        writers.get().accept(producer.batch);
    }

    /** Closing every write end gives the consumer end-of-file once it has read everything. */
    @TearDown
    public void stopConsumer() throws IOException, InterruptedException {
        for (FileOutputStream stream : producerStreams) stream.close();
        Posix.close(writeFd);
        consumer.join();
        Posix.close(readFd);
        if (consumerFailure != null) throw new IOException("the frame consumer failed", consumerFailure);
        if (batchesAssembled == 0 || recordsLost != 0) {
            throw new IllegalStateException("the logger side assembled " + batchesAssembled + " batches and lost "
                    + recordsLost + " records; expected some batches and no loss");
        }
    }

    private FrameWriter newWriter() {
        try {
            FileOutputStream stream = new FileOutputStream("/proc/self/fd/" + writeFd);
            producerStreams.add(stream);
            return new FrameWriter(stream, writerIds.getAndIncrement(), LoggerCounters.unshared());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the pipe's write end for a producer: " + e.getMessage(), e);
        }
    }

    private void consume(FileInputStream in) {
        long[] batches = {0};
        long[] lost = {0};
        FrameAssembler assembler = new FrameAssembler(new FrameAssembler.Output() {
            @Override
            public void batch(byte[] records, int count) {
                batches[0]++;
            }

            @Override
            public void report(long bytesEchoed, long connections, long errors, long timedOut) {
                // the producers send no REPORT frames
            }

            @Override
            public void lost(int records, String why) {
                lost[0] += records;
            }
        });
        try (in) {
            FrameReader reader = new FrameReader(in);
            for (ByteBuffer frame; (frame = reader.next()) != null; ) assembler.accept(frame);
        } catch (IOException e) {
            consumerFailure = e;
        } finally {
            batchesAssembled = batches[0];
            recordsLost = lost[0];
        }
    }
}
