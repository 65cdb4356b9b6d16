package echosuite.harness;

import java.util.List;

/**
 * The sets of scenarios {@code ./suite run} offers, and the servers each runs unless told, sized
 * for a time budget on a 2-core machine: every scenario repetition also pays a server start, a
 * load generator start, a graceful stop and a log verification (about 3 s together). Every
 * profile runs the four Java servers and their C twins (the course's C servers), so that each
 * Java figure has its model's C figure from the same run beside it.
 */
enum Profile {

    /**
     * Within 3 minutes for the four Java servers and their three C twins (c-epoll, the twin of
     * none, waits for the standard run); CI runs it. One short run of each kind of load but rate
     * (an open-loop figure needs more seconds than CI can give it to mean anything). Sized so that
     * the forking server, whose every connection starts a JVM on the one CPU it is pinned to,
     * still gets its connections up within the warm-up and the load generator's 10 s echo timeout.
     */
    QUICK(List.of("java", "c-thread", "c-select", "c-fork"), List.of(
            Scenario.pingpong(1, 64).seconds(1, 1),
            Scenario.pingpong(8, 64).seconds(2, 1),
            Scenario.churn(4).seconds(0, 1),
            Scenario.hold(16).seconds(0, 1),
            Scenario.bulk(1, 65536).seconds(0, 1))),

    /**
     * The default, within 20 minutes for the eight servers (18:19 in the reference run,
     * results/reference/standard): closed loop at three concurrencies
     * (three repetitions each), an open-loop rate every model sustains, churn, 2,000 held
     * connections (beyond what c-select's {@code select()} can watch: its row shows where it stops,
     * {@link ServerSpec#overLimit}) and 64 KiB messages.
     */
    STANDARD(List.of("java", "c"), List.of(
            Scenario.pingpong(1, 64).seconds(2, 3).repeated(3),
            Scenario.pingpong(16, 64).seconds(2, 3).repeated(3),
            Scenario.pingpong(256, 64).seconds(2, 3).repeated(3),
            Scenario.rate(5000, 16, 64).seconds(2, 8),
            Scenario.churn(8).seconds(1, 5),
            Scenario.hold(2000).seconds(0, 5),
            Scenario.bulk(4, 65536).seconds(1, 5))),

    /**
     * For serious runs (about an hour and a half with the variants): longer loads, three repetitions
     * of everything, 10,000 held connections.
     */
    FULL(List.of("java", "c", "variants"), List.of(
            Scenario.pingpong(1, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(16, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(256, 64).seconds(5, 20).repeated(3),
            Scenario.pingpong(1024, 64).seconds(5, 20).repeated(3),
            Scenario.rate(5000, 64, 64).seconds(5, 30).repeated(3),
            Scenario.rate(20000, 64, 64).seconds(5, 30).repeated(3),
            Scenario.churn(16).seconds(2, 20).repeated(3),
            Scenario.hold(10000).seconds(0, 10).repeated(3),
            Scenario.bulk(16, 65536).seconds(2, 20).repeated(3)));

    private final List<String> servers;
    private final List<Scenario> scenarios;

    Profile(List<String> servers, List<Scenario> scenarios) {
        this.servers = servers;
        this.scenarios = scenarios;
    }

    /** The servers (names or groups of {@link ServerCatalog}) it runs when {@code --servers} is not given. */
    List<String> servers() {
        return servers;
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    String label() {
        return name().toLowerCase();
    }
}
