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
            Scenario.pingpong(1, 64).seconds(1, 2),
            Scenario.pingpong(8, 64).seconds(2, 2),
            Scenario.churn(4).seconds(0, 2),
            Scenario.hold(16).seconds(0, 2),
            Scenario.bulk(1, 65536).seconds(0, 1))),

    /**
     * The default, within 15 minutes for four servers: closed loop at three concurrencies (three
     * repetitions each), an open-loop rate every model sustains, churn, 2,000 held connections and
     * 64 KiB messages.
     */
    STANDARD(List.of(
            Scenario.pingpong(1, 64).seconds(2, 5).repeated(3),
            Scenario.pingpong(16, 64).seconds(2, 5).repeated(3),
            Scenario.pingpong(256, 64).seconds(2, 5).repeated(3),
            Scenario.rate(5000, 16, 64).seconds(2, 10),
            Scenario.churn(8).seconds(1, 5),
            Scenario.hold(2000).seconds(0, 5),
            Scenario.bulk(4, 65536).seconds(1, 5))),

    /** For serious runs (about an hour): longer loads, three repetitions of everything, 10,000 held connections. */
    FULL(List.of(
            Scenario.pingpong(1, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(16, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(256, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(1024, 64).seconds(5, 20).repeated(3),
            Scenario.rate(5000, 64, 64).seconds(5, 30).repeated(3),
            Scenario.rate(20000, 64, 64).seconds(5, 30).repeated(3),
            Scenario.churn(16).seconds(2, 20).repeated(3),
            Scenario.hold(10000).seconds(0, 10).repeated(3),
            Scenario.bulk(16, 65536).seconds(2, 20).repeated(3)));

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
