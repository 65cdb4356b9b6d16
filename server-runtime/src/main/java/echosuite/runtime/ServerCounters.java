package echosuite.runtime;

import echosuite.protocol.Summary;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a server counts, printed at exit as the protocol's {@code summary {json}} line, which the
 * suite cross-checks against the load generator's own counts. Thread-safe (striped adders:
 * counting never contends on the echo path).
 *
 * <ul>
 *   <li>{@code connectionsAccepted}: connections the server accepted and served;</li>
 *   <li>{@code connectionsRefused}: connections accepted and closed at once (over
 *       {@code --max-connections}, or no thread/process could be made for them);</li>
 *   <li>{@code connectionsTimedOut}: connections the server ended because nothing arrived on
 *       them for {@code --idle-timeout} seconds while it waited to read (ended as at EOF);
 *       always 0 without that option;</li>
 *   <li>{@code bytesEchoed}: bytes written back to clients;</li>
 *   <li>{@code recordsLogged}: records written to the log file;</li>
 *   <li>{@code recordsLost}: records received that are not in the log file: given up at
 *       the shutdown deadline because the log's storage failed or stalled, or (forking server)
 *       possibly lost with a killed logger or child; {@code recordsLogged + recordsLost} is
 *       every record received;</li>
 *   <li>{@code errors}: I/O errors and resource exhaustion events (resets, EMFILE, ...).</li>
 * </ul>
 */
public final class ServerCounters {

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder connectionsTimedOut = new LongAdder();
    public final LongAdder bytesEchoed = new LongAdder();
    public final LongAdder recordsLost = new LongAdder();
    public final LongAdder errors = new LongAdder();

    /** The summary line: {@code summary {"connectionsAccepted":N,...}}. */
    public String summaryLine(long recordsLogged) {
        Map<String, Long> fields = new LinkedHashMap<>();
        fields.put("connectionsAccepted", connectionsAccepted.sum());
        fields.put("connectionsRefused", connectionsRefused.sum());
        fields.put("connectionsTimedOut", connectionsTimedOut.sum());
        fields.put("bytesEchoed", bytesEchoed.sum());
        fields.put("recordsLogged", recordsLogged);
        fields.put("recordsLost", recordsLost.sum());
        fields.put("errors", errors.sum());
        return Summary.format(fields);
    }
}
