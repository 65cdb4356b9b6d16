package echosuite.loadgen;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;

/**
 * The kinds of error a run counts, each under the key it has in the JSON report's
 * {@code errors} object. Echo mismatches are data errors (the run exits 1); the others are
 * connection errors.
 */
public enum ErrorKind {
    /** An echo differed from the message sent, or the server sent bytes it was never sent. */
    MISMATCH("mismatch"),
    /** The connection was reset (ECONNRESET, EPIPE). */
    RESET("reset"),
    /** No connect, echo or close within the configured time. */
    TIMEOUT("timeout"),
    /** The connection was refused (ECONNREFUSED). */
    REFUSED("refused"),
    /** The server closed the connection before the load generator ended it. */
    CLOSED_EARLY("closedEarly"),
    /** Anything else, e.g. the load generator ran out of file descriptors or local ports. */
    OTHER("other");

    /** The key in the JSON report. */
    public final String key;

    ErrorKind(String key) {
        this.key = key;
    }

    /** Classifies an I/O failure of a connection. */
    static ErrorKind of(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException && m.contains("refused")) return REFUSED;
        if (m.contains("reset") || m.contains("broken pipe")) return RESET;
        if (m.contains("timed out")) return TIMEOUT;
        return OTHER;
    }

    /** A short reason for the error report: the exception's message, without a stack. */
    static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
