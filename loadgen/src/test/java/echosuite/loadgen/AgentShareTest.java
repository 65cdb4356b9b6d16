package echosuite.loadgen;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --agent I/N}: the agents' shares of connections, ids, rate and messages add up to the run's, exactly. */
class AgentShareTest {

    @Test
    void connectionSharesSumToTheTotalAndDifferByAtMostOne() {
        for (int total = 1; total <= 60; total++) {
            for (int n = 1; n <= total; n++) {
                long sum = 0, min = Long.MAX_VALUE, max = 0;
                for (int i = 1; i <= n; i++) {
                    long share = new AgentShare(i, n).connections(total);
                    sum += share;
                    min = Math.min(min, share);
                    max = Math.max(max, share);
                }
                assertEquals(total, sum, total + " connections over " + n + " agents");
                assertTrue(max - min <= 1, total + " over " + n + ": " + min + ".." + max);
                assertTrue(min >= 1, "every agent has a connection when -c >= N");
            }
        }
    }

    @Test
    void theAgentsIdsAreTheRunsIdsEachOnce() {
        for (int total : new int[] {1, 7, 16, 100}) {
            for (int n = 1; n <= Math.min(total, 9); n++) {
                Set<Long> ids = new HashSet<>();
                for (int i = 1; i <= n; i++) {
                    AgentShare a = new AgentShare(i, n);
                    RunConfig c = new RunConfig("pingpong", null, a.connections(total), 64, 1, 0, 1, 1, 0, 1, 1, 0,
                            a.firstId(1_000), n, 0);
                    for (long k = 0; k < c.connections(); k++) assertTrue(ids.add(c.connectionId(k)), "id " + c.connectionId(k) + " twice");
                    // ids beyond the initial ones (churn's new connections) never meet another agent's either
                    for (long k = c.connections(); k < c.connections() + 50; k++) assertEquals(i - 1, Math.floorMod(c.connectionId(k) - 1_000, n));
                }
                for (long id = 1_000; id < 1_000 + total; id++) assertTrue(ids.contains(id), "id " + id + " of " + total + " over " + n);
                assertEquals(total, ids.size());
            }
        }
    }

    @Test
    void rateSharesSumToTheRate() {
        for (double rate : new double[] {1, 1_000, 12_345.6, 1e6, 3e7}) {
            for (int total : new int[] {1, 3, 16, 1_000}) {
                for (int n = 1; n <= Math.min(total, 12); n++) {
                    double sum = 0;
                    for (int i = 1; i <= n; i++) {
                        AgentShare a = new AgentShare(i, n);
                        double share = a.rate(rate, total);
                        assertEquals(rate / total, share / a.connections(total), rate * 1e-15, "every connection sends at R / C");
                        sum += share;
                    }
                    assertEquals(rate, sum, rate * 1e-12, rate + " msgs/s, " + total + " connections, " + n + " agents");
                }
            }
        }
    }

    @Test
    void messageSharesSumToTheCount() {
        for (long count : new long[] {0, 1, 5, 99, 100, 40_000, 1_000_003}) {
            for (int total : new int[] {1, 3, 8, 16}) {
                for (int n = 1; n <= total; n++) {
                    long sum = 0;
                    for (int i = 1; i <= n; i++) sum += new AgentShare(i, n).messages(count, total);
                    assertEquals(count, sum, count + " messages, " + total + " connections, " + n + " agents");
                }
            }
        }
    }

    @Test
    void parsesIOfNAndRefusesTheRestInASentence() {
        assertEquals(new AgentShare(2, 3), AgentShare.parse("2/3"));
        assertEquals(new AgentShare(1, 1), AgentShare.parse(" 1/1 "));
        for (String bad : new String[] {"0/2", "3/2", "2", "1/0", "-1/2", "a/b", "1/2/3", "", "1/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentShare.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--agent") && e.getMessage().endsWith("."), e.getMessage());
        }
    }

    @Test
    void badAgentOptionsAreUsageErrors() {
        String now = String.valueOf(System.currentTimeMillis());
        String target = "127.0.0.1:1";                  // never reached: the command line is refused first
        String[][] lines = {
                {"pingpong", "--agent", "3/2", "--start-at", now, target},
                {"pingpong", "--agent", "x", "--start-at", now, target},
                {"pingpong", "--agent", "1/2", target},                                            // no --start-at
                {"pingpong", "--agent", "1/2", "--start-at", String.valueOf(System.currentTimeMillis() + 2 * 3_600_000L), target},
                {"pingpong", "--start-at", String.valueOf(System.currentTimeMillis() / 1000), target},  // seconds, not ms
                {"pingpong", "-c", "2", "--agent", "3/3", "--start-at", now, target},           // fewer connections than agents
                {"pingpong", "--agent", "1/2", "--start-at", now, "--verify-log", "/tmp/log", target},
                {"find-max", "--agent", "1/2", "--start-at", now, target},
                {"find-max", "--start-at", now, target},
                {"hold", "-c", "4", "--first-level", "3", "--agent", "1/2", "--start-at", now, target},
        };
        for (String[] args : lines) assertEquals(ExitStatus.USAGE, Loadgen.execute(args), String.join(" ", args));
    }
}
