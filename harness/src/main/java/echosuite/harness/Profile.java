package echosuite.harness;

import java.util.List;

/**
 * The sets of scenarios {@code ./suite run} offers, each sized for a time budget on a 2-core
 * machine with all four servers: every scenario repetition also pays a server start, a load
 * generator start, a graceful stop and a log verification (about 3 s together).
 */
enum Profile {

    /**
     * Within 3 minutes for four servers; CI runs it. One short run of each kind of load but rate
     * (an open-loop figure needs more seconds than CI can give it to mean anything). Sized so that
     * the forking server, whose every connection starts a JVM on the one CPU it is pinned to,
     * still gets its connections up within the warm-up and the load generator's 10 s echo timeout.
     */
    QUICK(List.of(
            new Scenario("pingpong", 1, 64, 1, 2, 0, 1),
            new Scenario("pingpong", 8, 64, 2, 2, 0, 1),
            new Scenario("churn", 4, 64, 0, 2, 0, 1),
            new Scenario("hold", 16, 64, 0, 2, 0, 1),
            new Scenario("bulk", 1, 65536, 0, 1, 0, 1))),

    /**
     * The default, within 15 minutes for four servers: closed loop at three concurrencies (three
     * repetitions each), an open-loop rate every model sustains, churn, 2,000 held connections and
     * 64 KiB messages.
     */
    STANDARD(List.of(
            new Scenario("pingpong", 1, 64, 2, 5, 0, 3),
            new Scenario("pingpong", 16, 64, 2, 5, 0, 3),
            new Scenario("pingpong", 256, 64, 2, 5, 0, 3),
            new Scenario("rate", 16, 64, 2, 10, 5000, 1),
            new Scenario("churn", 8, 64, 1, 5, 0, 1),
            new Scenario("hold", 2000, 64, 0, 5, 0, 1),
            new Scenario("bulk", 4, 65536, 1, 5, 0, 1))),

    /** For serious runs (about an hour): longer loads, three repetitions of everything, 10,000 held connections. */
    FULL(List.of(
            new Scenario("pingpong", 1, 64, 5, 20, 0, 3),
            new Scenario("pingpong", 16, 64, 5, 20, 0, 3),
            new Scenario("pingpong", 256, 64, 5, 20, 0, 3),
            new Scenario("pingpong", 1024, 64, 5, 20, 0, 3),
            new Scenario("rate", 64, 64, 5, 30, 5000, 3),
            new Scenario("rate", 64, 64, 5, 30, 20000, 3),
            new Scenario("churn", 16, 64, 2, 20, 0, 3),
            new Scenario("hold", 10000, 64, 0, 10, 0, 3),
            new Scenario("bulk", 16, 65536, 2, 20, 0, 3)));

    private final List<Scenario> scenarios;

    Profile(List<Scenario> scenarios) {
        this.scenarios = scenarios;
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    String label() {
        return name().toLowerCase();
    }
}
