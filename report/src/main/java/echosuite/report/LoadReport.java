package echosuite.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The load generator's report of one run: what {@code loadgen --json} writes and the harness
 * reads. The JSON is one flat object whose keys are a contract (docs/loadgen.md); here its keys
 * are grouped by what they describe, each group unwrapped into that one object, in the order
 * the keys have always had. Every group but the scenario's own ones is always written;
 * a scenario writes its own group ({@link Bulk}, {@link Churn}, {@link Hold}, {@link Rate},
 * {@link FindMax}) and the others stay null.
 *
 * <p>Read tolerantly: a file written before some key existed reads with that figure null (a
 * group none of whose keys is there reads as null), and keys this record does not know are
 * skipped, so older run folders (results/reference/) still read.
 *
 * @param setup        what was run and how
 * @param firstEchoes  pingpong, rate, bulk: how long until every connection had its first echo
 * @param throughput   the measured window's echoes and bandwidth
 * @param traffic      everything sent and received, warm-up and drain included
 * @param latency      the main latency and whether its tail is a lower bound
 * @param errorCounts  error counts by kind, and the distinct reasons (not named {@code errors}: that is one of its keys)
 * @param memory       the load generator's own resident memory
 * @param stoppedEarly true if the run was stopped before its window ended (Ctrl-C)
 * @param logCheck     the verdict on the server's log ({@code --verify-log}), if it was checked
 * @param exitStatus   the load generator's exit status
 * @param options      every option of the command with its value, keyed by its long name; whole numbers are Longs
 * @param agentRun     a run with {@code --agent} or {@code --start-at}, or a merge of agents' reports ({@code loadgen merge --json}):
 *                     which agent, the common start and this agent's clock at it; for a merge, every agent's figures
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadReport(@JsonUnwrapped Setup setup, @JsonUnwrapped FirstEchoes firstEchoes,
                         @JsonUnwrapped Throughput throughput, @JsonUnwrapped Traffic traffic,
                         @JsonUnwrapped Latency latency, @JsonUnwrapped Errors errorCounts,
                         @JsonUnwrapped Memory memory, Boolean stoppedEarly, @JsonUnwrapped LogCheck logCheck,
                         Integer exitStatus, Map<String, Object> options,
                         @JsonUnwrapped Bulk bulk, @JsonUnwrapped Churn churn, @JsonUnwrapped Hold hold,
                         @JsonUnwrapped Rate rate, @JsonUnwrapped FindMax findMax, @JsonUnwrapped Agents agentRun) {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * Writes indented JSON; reads skipping keys it does not know, and reads a whole number in
     * {@link #options} as a Long (whatever its size), so a report reads back equal to the one written.
     */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(DeserializationFeature.USE_LONG_FOR_INTS);

    /**
     * Jackson builds every unwrapped group, from whatever keys the file has; a group whose own keys
     * are all absent was not written, so it is null again, and a report reads back equal to the
     * one written.
     */
    public LoadReport {
        firstEchoes = firstEchoes == null || firstEchoes.allFirstEchoMs() == null && firstEchoes.warmupLimitReached() == null
                && firstEchoes.connectionsAwaitingFirstEchoAtWindow() == null ? null : firstEchoes;
        logCheck = logCheck == null || logCheck.logVerified() == null && logCheck.logReport() == null ? null : logCheck;
        bulk = bulk == null || bulk.window() == null ? null : bulk;
        churn = churn == null || churn.sessions() == null ? null : churn;
        hold = hold == null || hold.held() == null ? null : hold;
        rate = rate == null || rate.targetRate() == null ? null : rate;
        findMax = findMax == null || findMax.maxRate() == null ? null : findMax;
        agentRun = agentRun == null || agentRun.agent() == null && agentRun.agents() == null && agentRun.startAtEpochMs() == null
                && agentRun.agentFigures() == null ? null : agentRun;
    }

    /** A report of one generator alone (no {@link Agents} group). */
    public LoadReport(Setup setup, FirstEchoes firstEchoes, Throughput throughput, Traffic traffic, Latency latency, Errors errorCounts,
                      Memory memory, Boolean stoppedEarly, LogCheck logCheck, Integer exitStatus, Map<String, Object> options,
                      Bulk bulk, Churn churn, Hold hold, Rate rate, FindMax findMax) {
        this(setup, firstEchoes, throughput, traffic, latency, errorCounts, memory, stoppedEarly, logCheck, exitStatus, options,
                bulk, churn, hold, rate, findMax, null);
    }

    public static LoadReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LoadReport.class);
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** This report with a scenario's own group. */
    public LoadReport with(Bulk b) {
        return withScenario(b, churn, hold, rate, findMax);
    }

    public LoadReport with(Churn c) {
        return withScenario(bulk, c, hold, rate, findMax);
    }

    public LoadReport with(Hold h) {
        return withScenario(bulk, churn, h, rate, findMax);
    }

    public LoadReport with(Rate r) {
        return withScenario(bulk, churn, hold, r, findMax);
    }

    public LoadReport with(FindMax f) {
        return withScenario(bulk, churn, hold, rate, f);
    }

    /** This report with its agent group. */
    public LoadReport with(Agents a) {
        return new LoadReport(setup, firstEchoes, throughput, traffic, latency, errorCounts, memory, stoppedEarly, logCheck,
                exitStatus, options, bulk, churn, hold, rate, findMax, a);
    }

    private LoadReport withScenario(Bulk b, Churn c, Hold h, Rate r, FindMax f) {
        return new LoadReport(setup, firstEchoes, throughput, traffic, latency, errorCounts, memory, stoppedEarly, logCheck,
                exitStatus, options, b, c, h, r, f, agentRun);
    }

    /** Sum of all error counts (0 when the file has none). */
    public long errorCount() {
        return errorCounts == null || errorCounts.errors() == null ? 0 : errorCounts.errors().values().stream().mapToLong(Long::longValue).sum();
    }

    /** MiB per second each way: the file's figure, else (a file older than it) messages/s times message bytes. */
    public Double mibPerSecond() {
        if (throughput == null) return null;
        if (throughput.mibPerSecond() != null) return throughput.mibPerSecond();
        Double mps = throughput.messagesPerSecond();
        Long bytes = setup == null ? null : setup.messageBytes();
        return mps == null || bytes == null ? null : mps * bytes / MIB;
    }

    /** MiB per second for {@code bytes} over {@code seconds}; 0 for an empty window. */
    public static double mibPerSecond(long bytes, double seconds) {
        return seconds <= 0 ? 0 : bytes / MIB / seconds;
    }

    /** {@code v} rounded to {@code decimals} places: the report's figures carry no false precision. */
    public static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /**
     * What was run and how.
     *
     * @param scenario               the command: pingpong, rate, churn, hold, bulk, find-max
     * @param target                 host:port
     * @param connections            {@code -c}
     * @param connectionsOpenAtStart connections open when the run started (after the connect phase)
     * @param connectionsOpened      connection ids used (the next run of a series starts after them)
     * @param messageBytes           {@code -s}, newline included
     * @param threads                I/O threads used
     * @param durationSeconds        the measured window actually run
     * @param warmupSeconds          the warm-up asked for
     * @param warmupRunSeconds       from the start to the opening of the window
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Setup(String scenario, String target, Long connections, Long connectionsOpenAtStart, Long connectionsOpened,
                        Long messageBytes, Integer threads, Double durationSeconds, Double warmupSeconds, Double warmupRunSeconds) { }

    /**
     * pingpong, rate, bulk: the window waits for every connection's first echo.
     *
     * @param allFirstEchoMs ms from the first connect to the last first echo; written as null when some never came
     * @param warmupLimitReached true if the warm-up limit opened the window first
     * @param connectionsAwaitingFirstEchoAtWindow connections still without a first echo then
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FirstEchoes(@JsonInclude(JsonInclude.Include.ALWAYS) Double allFirstEchoMs, Boolean warmupLimitReached,
                              Long connectionsAwaitingFirstEchoAtWindow) { }

    /**
     * The measured window.
     *
     * @param messages             echoes that belong to it (rate: of messages intended in it)
     * @param messagesPerSecond    those per second
     * @param mibPerSecond         MiB per second each way (messages times message bytes)
     * @param mibPerSecondSent     bytes actually written in the window, MiB/s
     * @param mibPerSecondReceived bytes actually read in it, MiB/s
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Throughput(Long messages, Double messagesPerSecond, Double mibPerSecond, Double mibPerSecondSent,
                             Double mibPerSecondReceived) { }

    /**
     * The whole run, warm-up and drain included.
     *
     * @param messagesSent       whole messages written: what the server must log
     * @param messagesUnanswered of those, the ones whose connection failed before their echo
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Traffic(Long messagesSent, Long messagesUnanswered, Long bytesSent, Long bytesReceived) { }

    /**
     * The main latency.
     *
     * @param latencyUs           its percentiles (rate: corrected for coordinated omission)
     * @param unansweredInLatency samples that are messages never answered, counted with the wait they had reached
     * @param tailIsLowerBound    true when there are such samples: p99 and above are lower bounds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latency(Percentiles latencyUs, Long unansweredInLatency, Boolean tailIsLowerBound) { }

    /**
     * @param errors       counts by kind (mismatch, reset, timeout, refused, closedEarly, other), every kind present
     * @param errorReasons counts by the distinct reason given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Errors(Map<String, Long> errors, Map<String, Long> errorReasons) { }

    /** The load generator's resident memory at the end and at its peak, KiB (-1: unknown). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long loadgenRssKiB, Long loadgenPeakRssKiB) { }

    /** The verdict on the server's log and the report on it in words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LogCheck(Boolean logVerified, String logReport) { }

    /** bulk: messages in flight per connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bulk(Integer window) { }

    /** churn: sessions (connect, messages, close) and their connect and first-echo latencies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Churn(Integer messagesPerSession, Long sessions, Double connectionsPerSecond, Percentiles connectUs,
                        Percentiles firstEchoUs, Integer sourceAddresses, Long timeWaitCapPerAddress) { }

    /** hold: connections held, established and failed, their connect latency and the levels they were held at. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hold(Long held, Long established, Long failed, Percentiles connectUs, List<HoldLevel> levels) { }

    /**
     * One level of held connections as the load generator ran it.
     *
     * @param target      connections it asked for
     * @param held        connections established and still open at its end
     * @param fromEpochMs when it began to be held, wall clock ms (so another process can place it on its clock)
     * @param toEpochMs   when it ended
     * @param reached     false if its hold was cut short (the window opened first): not settled; true when a file does not say
     */
    public record HoldLevel(long target, long held, long fromEpochMs, long toEpochMs, Boolean reached) {
        public HoldLevel {
            if (reached == null) reached = true;
        }
    }

    /** rate (and find-max, for its chosen run): the schedule and the uncorrected service time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rate(Double targetRate, Integer pipeline, Percentiles serviceTimeUs, Long messagesNotSent) { }

    /** find-max: the SLO, the highest rate that met it (0: none) and every step tried. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindMax(Double sloUs, Double maxRate, List<Step> steps) {
        /** One rate tried. */
        public record Step(Double rate, Double messagesPerSecond, Percentiles latencyUs, Boolean passed, String verdict) { }
    }

    /**
     * Several load generators driving one server together (docs/loadgen.md, "Several load hosts").
     * In an agent's own report: {@code agent} and {@code agents} ({@code --agent I/N}), the common
     * start {@code startAtEpochMs} ({@code --start-at}), and this agent's wall clock when its start
     * line passed, {@code startedAtEpochMs}, and that minus the common start, {@code clockOffsetMs}.
     * In a merged report: {@code agents}, the common start and {@code agentFigures}, one per agent;
     * {@code agent} and this process's clock are absent.
     *
     * @param agent            this agent's number, 1-based
     * @param agents           agents in all
     * @param startAtEpochMs   the common start, wall clock ms
     * @param startedAtEpochMs this agent's start line (t0) by its own wall clock, ms
     * @param clockOffsetMs    this agent's start line minus {@code startAtEpochMs}, ms to the µs: how late it started by its clock
     * @param agentFigures     merged report: each agent's figures, by agent number
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Agents(Integer agent, Integer agents, Long startAtEpochMs, Long startedAtEpochMs, Double clockOffsetMs,
                         List<AgentFigures> agentFigures) { }

    /**
     * One agent's own figures in a merged report.
     *
     * @param agent             its number
     * @param report            the file its figures were read from
     * @param messages          its messages in the measured window
     * @param messagesPerSecond those per second
     * @param p50Us             its own median latency, µs
     * @param p99Us             its own p99, µs
     * @param startedAtEpochMs  its start line by its wall clock, ms
     * @param clockOffsetMs     that minus the common start, ms
     * @param exitStatus        its exit status
     */
    public record AgentFigures(Integer agent, String report, Long messages, Double messagesPerSecond, Double p50Us, Double p99Us,
                               Long startedAtEpochMs, Double clockOffsetMs, Integer exitStatus) { }
}
