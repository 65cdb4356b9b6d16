package echosuite.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One concurrency model's implementation of the echo-with-logging protocol. {@link ServerRunner}
 * owns what is common (options, the log file, signals, the {@code listening on} and
 * {@code summary} lines); an implementation owns only its model: how it accepts and serves.
 */
public interface EchoServer {

    /** Binds and starts accepting; returns the bound address (the real port with {@code --port 0}). */
    InetSocketAddress start() throws IOException;

    /**
     * Graceful stop: stop accepting, end every connection as if the client had sent EOF (its
     * unfinished record is logged), and return once every record received has been handed to
     * the log. Connections still not done at {@code deadline} (a client that does not read its
     * echo) are closed; their received records are still handed over.
     */
    void shutdown(Instant deadline) throws InterruptedException;

    /**
     * Records written to the log file, for the summary line; asked after {@link #shutdown} and
     * after {@code log} is closed. A model whose records go through {@code log} keeps this
     * default; the forking server, whose logger is another process, answers for itself.
     */
    default long recordsLogged(RecordLog log) {
        return log.recordsWritten();
    }

    /** What the server needs from its surroundings; handed to the model's constructor. */
    record Context(ServerOptions options, RecordLog log, ServerCounters counters, BurstReporter reporter) { }
}
