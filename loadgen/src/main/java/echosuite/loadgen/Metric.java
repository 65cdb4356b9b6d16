package echosuite.loadgen;

/**
 * What a latency histogram measures. Every value is in nanoseconds, from {@link System#nanoTime}.
 * Each metric has a tag in the {@code .hlog} file; the main one, {@link #LATENCY}, is untagged so
 * that HdrHistogram's {@code HistogramLogProcessor} reads it by default, and warm-up intervals
 * carry the prefix {@code warmup}. Their percentiles' keys in the JSON report are LoadReport's
 * ({@code latencyUs}, {@code serviceTimeUs}, {@code connectUs}, {@code firstEchoUs}).
 */
enum Metric {
    /**
     * The scenario's headline latency: a message's round trip (pingpong, bulk, the hold probe),
     * from the message's intended send time (rate: corrected for coordinated omission), or a whole
     * session (churn: connect to the server's close).
     */
    LATENCY(null),
    /** rate only: from the actual start of the write to the complete echo (not corrected). */
    SERVICE("service"),
    /** From {@code connect()} to the connection being established. */
    CONNECT("connect"),
    /** churn only: from {@code connect()} to the complete echo of the session's first message. */
    FIRST_ECHO("firstEcho");

    /** The tag of measured intervals in the .hlog; null for the untagged main metric. */
    final String tag;
    Metric(String tag) {
        this.tag = tag;
    }

    /** The tag of warm-up intervals: {@code warmup} or {@code warmup-TAG}. */
    String warmupTag() {
        return tag == null ? "warmup" : "warmup-" + tag;
    }
}
