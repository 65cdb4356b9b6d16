package echosuite.bench;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Hand a record to the logger as bytes through a {@link java.nio.channels.Pipe}: on Linux an
 * OS pipe inside one process, which is what a reactor can use to reach a logger thread without
 * a lock it could block on, and the in-process cousin of the forking server's pipe to its
 * logger process ({@code echosuite.forking.FramedPipeHandoff}).
 *
 * <p>Expect fewer records per second than {@link QueueHandoff}: every hand-off is a
 * {@code write} system call (the consumer's reads are amortised over up to 64 KiB), and the
 * sink channel serialises concurrent writers, so more producers add waiting, not throughput.
 * A {@value #RECORD_BYTES}-byte write is below {@code PIPE_BUF}, so records never interleave.
 *
 * <p>Pitfall avoided: the consumer reads with a large buffer, as a logger would; reading one
 * record per call would measure the reader's system calls rather than the hand-off.
 */
public class NioPipeHandoff extends RecordHandoff {

    static final int READ_BUFFER_BYTES = 64 << 10;

    private Pipe pipe;
    private Thread consumer;

    @Setup
    public void startConsumer() throws IOException {
        pipe = Pipe.open();
        consumer = Thread.ofPlatform().name("pipe-consumer").daemon(true).start(() -> {
            ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            try {
                while (pipe.source().read(in) >= 0) in.clear();
            } catch (IOException e) {
                throw new IllegalStateException("the pipe consumer failed: " + e, e);
            }
        });
    }

    @Override
    protected void handOver(Producer producer) throws IOException {
        ByteBuffer record = producer.buffer;
        record.clear();
        while (record.hasRemaining()) pipe.sink().write(record);
    }

    /** Closing the sink gives the consumer end-of-stream once it has read everything. */
    @TearDown
    public void stopConsumer() throws IOException, InterruptedException {
        pipe.sink().close();
        consumer.join();
        pipe.source().close();
    }
}
