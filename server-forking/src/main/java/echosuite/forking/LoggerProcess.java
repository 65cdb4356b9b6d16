package echosuite.forking;

import echosuite.forking.frames.FrameAssembler;
import echosuite.forking.frames.FrameReader;
import echosuite.forking.frames.LogFrame;
import echosuite.forking.frames.LoggerCounters;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.RecordLog;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The logger child: the process {@code echo_storeserv.c} forks first, which reads the pipe and
 * writes what it reads to {@code echomsg.txt}. Started once by the parent (and again if it
 * dies), as {@code java ... LoggerProcess LOGFILE MAXBACKLOG} with:
 * <ul>
 *   <li>fd 0: the read end of the logger pipe, a stream of {@link LogFrame}s;</li>
 *   <li>fd 1 and 2: the parent's standard error;</li>
 *   <li>fd 3: the memfd of the {@link LoggerCounters} page it shares with the parent.</li>
 * </ul>
 * It reads frames ({@link FrameReader}) until end of file, which comes when every writer (the parent and every
 * handler child) has closed its end; puts records back together ({@link FrameAssembler}); and
 * appends whole batches to the log file through {@link RecordLog} (a second thread writes, so
 * reading the pipe never waits for the disk; records reach the file within milliseconds). When
 * the writer is more than MAXBACKLOG bytes behind, this process stops reading the pipe, the pipe
 * fills, and the handler children block in their writes: backpressure all the way to clients.
 *
 * <p>SIGTERM and SIGINT are ignored: the logger's job is to write every record, so it ends only
 * at end of file (the parent's graceful shutdown arranges that), or by SIGKILL. SIGUSR1 is the
 * parent's shutdown deadline: if the log file's storage fails or stalls, the records it has not
 * taken are given up ({@link RecordLog#giveUpAt}), and the logger goes on reading the pipe to end
 * of file, so that no child stays blocked on a full pipe; every record it received and did not
 * write stays {@code RECEIVED - WRITTEN}, which the parent counts as lost.
 */
public final class LoggerProcess {

    /** The parent's "shutdown deadline" to the logger ({@link LoggerSupervisor#giveUpStorage}). */
    static final String GIVE_UP_SIGNAL = "USR1";

    private LoggerProcess() { }

    public static void main(String[] args) throws IOException, InterruptedException {
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> { });
        }
        if (args.length != 2) {
            System.err.println("usage: LoggerProcess LOGFILE MAXBACKLOG (started by the forking server, not by hand)");
            System.exit(2);
        }
        BurstReporter reporter = BurstReporter.stderr("server-forking logger");
        LoggerCounters counters = LoggerCounters.map(Path.of("/proc/self/fd/3"));
        RecordLog file = RecordLog.open(Path.of(args[0]), Integer.parseInt(args[1]), reporter);
        sun.misc.Signal.handle(new sun.misc.Signal(GIVE_UP_SIGNAL), s -> file.giveUpAt(Instant.now()));
        int exitStatus = run(new FileInputStream(FileDescriptor.in), file, counters, reporter);
        System.exit(exitStatus);
    }

    /**
     * Reads frames from {@code pipe} until end of file and writes their records to {@code file};
     * closes {@code file} at the end. Returns the exit status (0).
     */
    static int run(InputStream pipe, RecordLog file, LoggerCounters counters, BurstReporter reporter)
            throws InterruptedException {
        long writtenBefore = counters.get(LoggerCounters.WRITTEN);   // earlier loggers of this run
        file.onSpaceAvailable(() -> counters.set(LoggerCounters.WRITTEN, writtenBefore + file.recordsWritten()));

        FrameAssembler assembler = new FrameAssembler(new FrameAssembler.Output() {
            @Override
            public void batch(byte[] records, int count) {
                try {
                    file.appendRecords(records, count);
                } catch (InterruptedException e) {
                    throw new IllegalStateException("the logger's reading thread is never interrupted", e);
                }
            }

            @Override
            public void report(long bytesEchoed, long connections, long errors, long timedOut) {
                counters.add(LoggerCounters.BYTES_ECHOED, bytesEchoed);
                counters.add(LoggerCounters.CONNECTIONS, connections);
                counters.add(LoggerCounters.ERRORS, errors);
                counters.add(LoggerCounters.TIMED_OUT, timedOut);
            }

            @Override
            public void lost(int records, String why) {
                // Counted already: received when read, never written, so in RECEIVED - WRITTEN.
                reporter.report(records + " record(s) lost: " + why);
            }
        });

        // Received as soon as read, before any of the chunk is handed on: RECEIVED >= WRITTEN, always.
        FrameReader frames = new FrameReader(pipe, records -> counters.add(LoggerCounters.RECEIVED, records));
        while (true) {
            ByteBuffer frame;
            try {
                frame = frames.next();
            } catch (IOException e) {
                counters.add(LoggerCounters.ERRORS, 1);
                reporter.report("reading the logger pipe failed: " + e.getMessage() + "; stopping");
                break;
            }
            if (frame == null) break;                                // every writer has closed: done
            assembler.accept(frame);
        }
        if (frames.skippedBytes() > 0) {
            counters.add(LoggerCounters.SKIPPED_BYTES, frames.skippedBytes());
            reporter.report("skipped " + frames.skippedBytes() + " byte(s) of the pipe that were not whole frames"
                    + " (the start of a frame a previous logger had read)");
        }
        if (assembler.childrenMidBatch() > 0) {
            reporter.report(assembler.childrenMidBatch() + " child(ren) left an unfinished batch at end of file");
        }
        try {
            file.close();                                            // writes everything handed over
        } catch (IOException e) {
            reporter.report("closing the log file failed: " + e.getMessage());
            return 1;
        }
        counters.set(LoggerCounters.WRITTEN, writtenBefore + file.recordsWritten());
        return 0;
    }
}
