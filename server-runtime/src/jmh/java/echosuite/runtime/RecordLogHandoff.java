package echosuite.runtime;

import echosuite.bench.RecordHandoff;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Hand a record to the logger the way the threaded and virtual-thread servers do: frame the
 * bytes one read returned into a {@link echosuite.protocol.RecordBatch} and
 * {@link RecordLog#append append} it to the project's {@link RecordLog}, whose one logger
 * thread writes it out. The file is {@code /dev/null}, so that the figure is the hand-off and
 * the logger's write calls, not the disk (which the macro results include).
 *
 * <p>Expect fewer records per second than {@code QueueHandoff} (in {@code benchmarks/}), which
 * hands over a reference and nothing else: here each operation also frames the read, copies the
 * batch out and takes permits from the log's byte semaphore. What the log's design buys (a
 * lock-free queue, a logger that writes everything waiting in one call and gathers before it
 * looks again) is that producers do not queue behind a lock or keep waking the logger. The
 * framing of one {@value #RECORD_BYTES}-byte read is measured alone by
 * {@link RecordFramerThroughput}.
 *
 * <p>Pitfall avoided: the benchmark uses the real class with its real bound
 * ({@link RecordLog#DEFAULT_MAX_PENDING_BYTES}), not a re-implementation of it.
 */
public class RecordLogHandoff extends RecordHandoff {

    private RecordLog log;

    @Setup
    public void openLog() throws IOException {
        log = RecordLog.open(Path.of("/dev/null"), RecordLog.DEFAULT_MAX_PENDING_BYTES,
                BurstReporter.stderr("RecordLogHandoff"));
    }

    @Override
    protected void handOver(Producer producer) throws InterruptedException {
        producer.framer.frame(producer.record, 0, producer.record.length, producer.batch);
        log.append(producer.batch);
    }

    @TearDown
    public void closeLog() throws IOException {
        log.close();
        if (log.recordsWritten() == 0) {
            throw new IllegalStateException("the record log wrote no record: the hand-off did not reach the logger");
        }
    }
}
