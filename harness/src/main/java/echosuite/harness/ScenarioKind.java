package echosuite.harness;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The load generator scenarios the harness runs; each names its command, and in files (run.json,
 * the measurements, summary.csv/json) it is written as that name.
 */
enum ScenarioKind {
    /** Closed loop: each connection sends a message and waits for its echo. */
    PINGPONG,
    /** Open loop at a fixed total rate, latency corrected for coordinated omission. */
    RATE,
    /** Connect, exchange a few messages, close, over and over. */
    CHURN,
    /** Idle connections held open at two levels, and a probe connection. */
    HOLD,
    /** Large messages as fast as the echoes come back. */
    BULK;

    /** The load generator's command and the name in files: {@code pingpong}, {@code rate}, ... */
    @JsonValue
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
