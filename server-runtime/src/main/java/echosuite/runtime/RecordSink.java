package echosuite.runtime;

import echosuite.protocol.RecordBatch;

import java.io.IOException;

/**
 * Where a connection hands the records each read completed: the {@link RecordLog} in the
 * threaded and virtual-thread servers, the logger pipe in the forking server's handler child.
 * Blocks while the logger is too far behind (backpressure), never drops.
 */
@FunctionalInterface
public interface RecordSink {
    void accept(RecordBatch batch) throws IOException, InterruptedException;
}
