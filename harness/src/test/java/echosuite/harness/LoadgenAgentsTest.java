package echosuite.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --agents N}: one command per agent, the same start instant, each with its own files and the server's address for it. */
class LoadgenAgentsTest {

    private static final Path RAW = Path.of("/run/raw/selector");
    private static final LoadClient.Outputs FILES = new LoadClient.Outputs(RAW.resolve("pingpong-c8-64B-r1.loadgen.json"),
            RAW.resolve("pingpong-c8-64B-r1.hlog"), RAW.resolve("pingpong-c8-64B-r1.hgrm"));

    @Test
    void eachAgentGetsItsShareItsFilesAndItsAddressAndAllTheSameStart() {
        LoadgenAgents agents = new LoadgenAgents(List.of("java", "-jar", "loadgen.jar"), 3, null);
        assertEquals(3, agents.processes());
        List<List<String>> cmds = agents.commandsFor(Scenario.pingpong(8, 64).seconds(1, 2), FILES, Path.of("/run/logs/x.log"),
                List.of("10.77.1.1:4000", "10.77.2.1:4000", "10.77.3.1:4000"));
        assertEquals(3, cmds.size());
        String startAt = value(cmds.getFirst(), "--start-at");
        long now = System.currentTimeMillis();
        assertTrue(Long.parseLong(startAt) > now && Long.parseLong(startAt) <= now + LoadgenAgents.START_DELAY.toMillis(), startAt);
        for (int i = 1; i <= 3; i++) {
            List<String> c = cmds.get(i - 1);
            assertEquals(List.of("java", "-jar", "loadgen.jar", "pingpong", "-c", "8"), c.subList(0, 6), "the whole run's options: " + c);
            assertEquals(i + "/3", value(c, "--agent"));
            assertEquals(startAt, value(c, "--start-at"), "one start instant for all");
            assertEquals(RAW.resolve("pingpong-c8-64B-r1-a" + i + ".loadgen.json").toString(), value(c, "--json"));
            assertEquals(RAW.resolve("pingpong-c8-64B-r1-a" + i + ".hlog").toString(), value(c, "--hlog"));
            assertEquals(RAW.resolve("pingpong-c8-64B-r1-a" + i + ".sent").toString(), value(c, "--sent"));
            assertEquals("10.77." + i + ".1:4000", c.getLast());
            assertTrue(!c.contains("--verify-log"), "the log is checked by the merge, against every agent's messages");
        }
    }

    @Test
    void aScenarioWithFewerConnectionsThanAgentsGetsOneAgentPerConnection() {
        LoadgenAgents agents = new LoadgenAgents(List.of("loadgen"), 4, null);
        assertEquals(1, agents.agentsFor(Scenario.pingpong(1, 64)));
        assertEquals(3, agents.agentsFor(Scenario.churn(3)));
        assertEquals(4, agents.agentsFor(Scenario.hold(16)));
        List<List<String>> cmds = agents.commandsFor(Scenario.bulk(1, 65536), FILES, Path.of("/l"), List.of("a:1", "b:1", "c:1", "d:1"));
        assertEquals(1, cmds.size());
        assertEquals("1/1", value(cmds.getFirst(), "--agent"));
    }

    @Test
    void theRepetitionsOwnFilesKeepTheirNamesAndABadNameIsRefused() {
        assertEquals(RAW.resolve("pingpong-c8-64B-r1.merge.txt"), LoadgenAgents.agentFile(FILES.json(), ".loadgen.json", 0, ".merge.txt"));
        assertThrows(IllegalArgumentException.class, () -> LoadgenAgents.agentFile(FILES.hgrm(), ".hlog", 1));
    }

    private static String value(List<String> cmd, String option) {
        return cmd.get(cmd.indexOf(option) + 1);
    }
}
