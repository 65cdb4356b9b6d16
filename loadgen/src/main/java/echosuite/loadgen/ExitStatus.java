package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;

/** The load generator's exit statuses (documented in docs/loadgen.md), and how a run maps to one. */
final class ExitStatus {

    /** The run went through: no errors, log verified if asked. */
    static final int OK = 0;
    /** Data errors: an echo differed from what was sent, or the server's log did not verify. */
    static final int DATA_ERRORS = 1;
    /** Bad command line: one sentence on stderr. */
    static final int USAGE = 2;
    /** Nothing could be sent (target unreachable, every connection failed) or the load generator failed. */
    static final int COULD_NOT_RUN = 3;
    /** The data was right but connections failed (reset, timeout, refused, closed early, other). */
    static final int CONNECTION_ERRORS = 4;

    private ExitStatus() { }

    static int of(RunResult r, LogVerifier.Report log) {
        if (r.errorCount(ErrorKind.MISMATCH) > 0 || (log != null && !log.ok())) return DATA_ERRORS;
        if (r.failure != null || (r.messagesSent == 0 && r.totalErrors() > 0)) return COULD_NOT_RUN;
        if (r.totalErrors() > 0) return CONNECTION_ERRORS;
        return OK;
    }
}
