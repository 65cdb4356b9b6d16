package echosuite.harness;

import java.util.List;
import java.util.Map;

/**
 * The raw record of one scenario repetition on one server, written to the run folder as
 * {@code raw/SERVER/SCENARIO-rN.measurement.json} beside the load generator's own files. Tables,
 * plots and the page are computed from these files only, so {@code ./suite report} can redo them.
 *
 * @param server            server name (threaded, virtualthreads, selector, forking)
 * @param scenario          the scenario as run
 * @param repetition        1-based repetition number
 * @param outcome           {@link Outcome}: how the repetition went
 * @param problems          what went wrong, in sentences (empty when nothing did)
 * @param loadgenJson       file name (in the same folder) of the load generator's JSON, or null
 * @param loadgenExitCode   the load generator's exit status, or null if it did not run
 * @param serverExitCode    the server's exit status after SIGTERM, or null if it did not exit
 * @param serverSummary     the fields of the server's {@code summary} line (empty if none)
 * @param logVerified       whether the server's log matched what was sent; null if not checked
 * @param verification      the load generator's report on the log, in its words
 * @param resources         the server's resource use during the load, or null if not sampled
 */
record Measurement(String server, Scenario scenario, int repetition, Outcome outcome, List<String> problems,
                   String loadgenJson, Integer loadgenExitCode, Integer serverExitCode,
                   Map<String, Long> serverSummary, Boolean logVerified, String verification,
                   ResourceUse resources) {

    /** How a repetition went, worst last. */
    enum Outcome {
        /** Load ran, server stopped cleanly (the log verdict is separate). */
        OK,
        /** The load generator failed or wrote no result. */
        LOAD_FAILED,
        /** The server died or had to be killed. */
        SERVER_FAILED,
        /** The server never printed its {@code listening on} line. */
        DID_NOT_START,
        /** The server's jar is not built; nothing ran. */
        NOT_BUILT
    }

    /** File name stem for this repetition's files: {@code SCENARIO-rN}. */
    static String stem(Scenario scenario, int repetition) {
        return scenario.id() + "-r" + repetition;
    }
}
