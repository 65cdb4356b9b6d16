package echosuite.harness;

import echosuite.report.Units;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The columns of the human tables (Markdown, console, HTML), per scenario kind, so that all three
 * show the same figures under the same headings. The CSV and JSON carry every field of
 * {@link ResultRow} instead.
 */
final class SummaryColumns {

    /** What a column holds, which decides how it is aligned and when a cell is marked as bad. */
    enum Kind {
        /** The server's name: left-aligned. */
        NAME,
        /** The row's status: left-aligned, bad unless {@code ok}. */
        STATUS,
        /** A figure: right-aligned, so digits line up. */
        FIGURE,
        /** The log verdict: left-aligned, bad when the log did not verify. */
        VERDICT;

        boolean leftAligned() {
            return this != FIGURE;
        }

        boolean bad(String cell) {
            return this == STATUS && !cell.equals("ok") || this == VERDICT && cell.equals(NOT_VERIFIED);
        }
    }

    /** A column: its heading, what it holds and how a row's cell reads. */
    record Column(String heading, Kind kind, Function<ResultRow, String> cell) {
        Column(String heading, Function<ResultRow, String> cell) {
            this(heading, Kind.FIGURE, cell);
        }
    }

    private SummaryColumns() { }

    private static final String NOT_VERIFIED = "NOT verified";

    private static final Column SERVER = new Column("server", Kind.NAME, ResultRow::server);
    private static final Column STATUS = new Column("status", Kind.STATUS, ResultRow::status);
    private static final Column MSGS = new Column("msgs/s", r -> Units.count(r.load().messagesPerSecond()));
    private static final Column SPREAD = new Column("spread", r -> Units.spread(r.load().spread()));
    private static final Column MIB = new Column("MiB/s", r -> r.load().mibPerSecond() == null ? ""
            : String.format(Locale.ROOT, "%.1f", r.load().mibPerSecond()));
    private static final Column P50 = new Column("p50", r -> Units.micros(r.latency().p50Us()));
    private static final Column P90 = new Column("p90", r -> Units.micros(r.latency().p90Us()));
    private static final Column P99 = new Column("p99", r -> tail(r, r.latency().p99Us()));
    private static final Column P999 = new Column("p99.9", r -> tail(r, r.latency().p999Us()));
    private static final Column MAX = new Column("max", r -> tail(r, r.latency().maxUs()));
    private static final Column SERVICE_P99 = new Column("service p99", r -> Units.micros(r.latency().serviceP99Us()));
    private static final Column CONNS = new Column("conns/s", r -> Units.count(r.connecting().connectionsPerSecond()));
    private static final Column FIRST_ECHO_P50 = new Column("first echo p50", r -> Units.micros(r.connecting().firstEchoP50Us()));
    private static final Column FIRST_ECHO_P99 = new Column("first echo p99", r -> Units.micros(r.connecting().firstEchoP99Us()));
    private static final Column HELD = new Column("held", r -> Units.count(r.connecting().established()));
    private static final Column FAILED = new Column("failed", r -> Units.count(r.connecting().failed()));
    private static final Column ALL_FIRST_ECHOES = new Column("all first echoes",
            r -> Units.micros(r.connecting().allFirstEchoMs() == null ? null : r.connecting().allFirstEchoMs() * 1000));
    private static final Column MEM_PER_CONN = new Column("mem/conn", r -> Units.bytes(r.heldMemory().marginalMemoryPerConnectionBytes()));
    private static final Column MEM_PER_CONN_INCL = new Column("mem/conn incl. one-time",
            r -> Units.bytes(r.heldMemory().memoryPerConnectionInclOneTimeBytes()));
    private static final Column CPU = new Column("CPU/msg", r -> Units.micros(r.resources().cpuMicrosPerMessage()));
    private static final Column RSS = new Column("peak RSS", r -> Units.bytes(r.resources().peakRssBytes()));
    private static final Column PSS = new Column("peak PSS", r -> Units.bytes(r.resources().peakPssBytes()));
    private static final Column THREADS = new Column("threads", r -> whole(r.peaks().threads()));
    private static final Column PROCS = new Column("procs", r -> whole(r.peaks().processes()));
    private static final Column FDS = new Column("fds", r -> whole(r.peaks().openFds()));
    private static final Column ERRORS = new Column("errors", r -> Units.count(r.checks().errors()));
    private static final Column LOG = new Column("log", Kind.VERDICT,
            r -> r.checks().logVerified() == null ? "-" : r.checks().logVerified() ? "verified" : NOT_VERIFIED);
    private static final Column RATIO = new Column("vs baseline", r -> Units.ratio(r.ratio()));
    private static final Column TWIN = new Column("vs C twin", r -> r.twinRatio() == null ? "" : Units.ratio(r.twinRatio()) + " " + r.twin());

    /** The columns shown for a scenario kind. */
    static List<Column> of(ScenarioKind kind) {
        return switch (kind) {
            case RATE -> List.of(SERVER, STATUS, MSGS, P50, P90, P99, P999, MAX, SERVICE_P99, ALL_FIRST_ECHOES, CPU, RSS, PSS, THREADS, PROCS, ERRORS, LOG, RATIO, TWIN);
            case CHURN -> List.of(SERVER, STATUS, CONNS, SPREAD, FIRST_ECHO_P50, FIRST_ECHO_P99, MSGS, P50, P99, MAX, CPU, RSS, PSS, THREADS, PROCS, ERRORS, LOG, RATIO, TWIN);
            case HOLD -> List.of(SERVER, STATUS, HELD, FAILED, P50, P99, MAX, MEM_PER_CONN, MEM_PER_CONN_INCL, RSS, PSS, THREADS, PROCS, FDS, ERRORS, LOG, RATIO, TWIN);
            case PINGPONG, BULK -> List.of(SERVER, STATUS, MSGS, SPREAD, MIB, P50, P90, P99, P999, MAX, ALL_FIRST_ECHOES, CPU, RSS, PSS, THREADS, PROCS, ERRORS, LOG, RATIO, TWIN);
        };
    }

    /** A row's headline figure ({@link ResultTable#headline}) as its column shows it, e.g. {@code 158k} or {@code 850 µs}. */
    static String headlineCell(ResultRow r) {
        return switch (r.kind()) {
            case RATE -> Units.micros(r.latency().p99Us());
            case CHURN -> Units.count(r.connecting().connectionsPerSecond());
            case HOLD -> Units.bytes(r.heldMemory().marginalMemoryPerConnectionBytes());
            case PINGPONG, BULK -> Units.count(r.load().messagesPerSecond());
        };
    }

    private static String whole(Integer n) {
        return n == null ? "" : n.toString();
    }

    /** The mark of a tail figure that is only a lower bound (see {@link #lowerBoundNote}). */
    static final String LOWER_BOUND = "≥";

    /** A tail latency cell: marked {@value #LOWER_BOUND} when the row's tail is a lower bound. */
    private static String tail(ResultRow r, Double us) {
        String v = Units.micros(us);
        return r.tailIsLowerBound() && !v.isEmpty() ? LOWER_BOUND + v : v;
    }

    /** The footnote under a table with a marked tail, or null when no row of it has one. */
    static String lowerBoundNote(List<ResultRow> rows) {
        List<String> servers = rows.stream().filter(ResultRow::tailIsLowerBound)
                .map(r -> r.server() + " " + Units.count(r.unansweredInLatency())).toList();
        if (servers.isEmpty()) return null;
        return LOWER_BOUND + " a lower bound: messages never answered (their connection timed out or failed) count with the wait"
                + " they had reached when it was given up, so the true tail is at least this long (such messages: "
                + String.join(", ", servers) + ").";
    }

    /** One sentence saying what a scenario measured, for the tables' captions. */
    static String caption(Scenario s) {
        return switch (s.kind()) {
            case PINGPONG -> s.connections() + " connection(s), closed loop: each sends " + s.messageBytes()
                    + "-byte messages and waits for each echo; " + s.durationSeconds() + " s measured after " + s.warmupSeconds() + " s warm-up.";
            case RATE -> "Open loop at " + s.rate() + " msgs/s over " + s.connections() + " connections (" + s.messageBytes()
                    + " B); latency from each message's intended send time (coordinated omission corrected); " + s.durationSeconds() + " s.";
            case CHURN -> s.connections() + " loops that connect, exchange a few messages and close, over and over: the cost of a connection; "
                    + (s.rate() > 0 ? "at most " + s.rate() + " connections a second, so that they come apart; " : "") + s.durationSeconds() + " s; "
                    + "first echo = from a session's connect to its first echo; p50/p99 = the whole session.";
            case HOLD -> s.connections() + " idle connections held open, half of them first, then all, each level for "
                    + Scenario.LEVEL_HOLD_SECONDS + " s; then a probe connection measures latency for " + s.durationSeconds() + " s; "
                    + "mem/conn = (PSS with all held - PSS with half held) / the connections added, each PSS the median of the "
                    + "samples in the second half of its level; mem/conn incl. one-time = (peak PSS - idle PSS) / held connections.";
            case BULK -> s.connections() + " connection(s) sending " + s.messageBytes() / 1024 + " KiB messages as fast as echoes come back: bandwidth and backpressure; "
                    + s.durationSeconds() + " s.";
        };
    }
}
