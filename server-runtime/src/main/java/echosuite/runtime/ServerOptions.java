package echosuite.runtime;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every server accepts (protocol.md, "Transport and options"), as a picocli mixin:
 * a server's command declares {@code @Mixin ServerOptions options;}.
 */
public final class ServerOptions {

    public static final int DEFAULT_PORT = 9190;
    public static final int DEFAULT_MAX_LINE = 65536;
    /** Longest {@code --idle-timeout}: a week (its milliseconds must fit {@code Socket.setSoTimeout}'s int). */
    public static final int MAX_IDLE_TIMEOUT_SECONDS = 7 * 24 * 3600;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "TCP port to listen on; 0 lets the OS pick a free one (default: ${DEFAULT-VALUE}).")
    public int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 only if you mean every interface).")
    public String bind;

    @Option(names = "--log", paramLabel = "FILE", defaultValue = "echomsg.txt",
            description = "Log file that every received message is appended to (default: ${DEFAULT-VALUE}).")
    public Path log;

    @Option(names = "--max-line", paramLabel = "BYTES", defaultValue = "" + DEFAULT_MAX_LINE,
            description = "Longest record logged without a newline; longer runs are logged in pieces (default: ${DEFAULT-VALUE}).")
    public int maxLine;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
            description = "Connections served at once; a connection over the limit is accepted and closed at once, and counted as refused (default: ${DEFAULT-VALUE}).")
    public int maxConnections;

    @Option(names = "--max-log-backlog", paramLabel = "BYTES", defaultValue = "" + RecordLog.DEFAULT_MAX_PENDING_BYTES,
            description = "Bytes of records that may wait for the logger before clients stop being read (default: ${DEFAULT-VALUE}).")
    public int maxLogBacklog;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Close a connection the server is waiting to read from once nothing has arrived on it for SECONDS,"
                    + " as if the client had half-closed (its unfinished record is logged, what it is owed is echoed);"
                    + " counted in the summary's connectionsTimedOut. A connection the server is blocked writing to"
                    + " (a client that does not read) is not idle. 0: never (default: ${DEFAULT-VALUE}).")
    public int idleTimeoutSeconds;

    /** {@code --idle-timeout} in milliseconds; 0 when off. */
    public long idleTimeoutMillis() {
        return idleTimeoutSeconds * 1000L;
    }

    /** Checks ranges picocli's types do not; returns a sentence describing the first problem, or null. */
    public String problem() {
        if (port < 0 || port > 65535) return "--port must be between 0 and 65535, got " + port + ".";
        if (maxLine < 1) return "--max-line must be at least 1 byte, got " + maxLine + ".";
        if (maxConnections < 1) return "--max-connections must be at least 1, got " + maxConnections + ".";
        if (maxLogBacklog < 1) return "--max-log-backlog must be at least 1 byte, got " + maxLogBacklog + ".";
        if (idleTimeoutSeconds < 0) return "--idle-timeout must be 0 (off) or a number of seconds, got " + idleTimeoutSeconds + ".";
        if (idleTimeoutSeconds > MAX_IDLE_TIMEOUT_SECONDS) {
            return "--idle-timeout must be at most " + MAX_IDLE_TIMEOUT_SECONDS + " seconds (a week), got " + idleTimeoutSeconds + ".";
        }
        return null;
    }
}
