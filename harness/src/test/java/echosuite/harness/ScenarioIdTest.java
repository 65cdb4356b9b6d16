package echosuite.harness;

import echosuite.cli.UsageError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Scenario ids on the command line: parsed with the profile's durations, or refused in one sentence. */
class ScenarioIdTest {

    @Test
    void anIdTheProfileLacksGetsTheDurationsOfItsKindThere() {
        Scenario hold = ScenarioId.parse("hold-c5000-64B", Profile.STANDARD);
        assertEquals(new Scenario(ScenarioKind.HOLD, 5000, 64, 0, 5, 0, 1), hold, "standard's hold: no warm-up, 5 s, one repetition");
        assertEquals("hold-c5000", hold.id());
        assertEquals(new Scenario(ScenarioKind.PINGPONG, 1, 64, 1, 1, 0, 1), ScenarioId.parse("pingpong-c1-64B", Profile.QUICK));
        assertEquals(new Scenario(ScenarioKind.BULK, 4, 65536, 0, 1, 0, 1), ScenarioId.parse("bulk-c4-64KiB", Profile.QUICK));
    }

    @Test
    void aKindTheProfileLacksTakesItsFirstScenariosDurations() {
        assertEquals(new Scenario(ScenarioKind.RATE, 16, 64, 1, 1, 5000, 1), ScenarioId.parse("rate-R5000-c16-64B", Profile.QUICK));
    }

    @Test
    void theSizeMayBeLeftOutAndChurnTakesAConnectRate() {
        Scenario churn = ScenarioId.parse("churn-R10-c1", Profile.STANDARD);
        assertEquals(new Scenario(ScenarioKind.CHURN, 1, 64, 1, 5, 10, 1), churn);
        assertEquals("churn-R10-c1", churn.id(), "the id round-trips");
        assertEquals(List.of("churn", "-c", "1", "-s", "64", "-d", "5", "--warmup", "1", "--connect-rate", "10"), churn.loadgenArguments());
    }

    @Test
    void selectTakesKindsAndIdsAndPrefersTheProfilesOwnScenario() {
        List<Scenario> s = ScenarioId.select(List.of("pingpong-c16-64B", "hold", "pingpong-c16-64B", "pingpong-c4-64B"), Profile.STANDARD, 1);
        assertEquals(List.of(Profile.STANDARD.scenarios().get(1), Profile.STANDARD.scenarios().get(5),
                new Scenario(ScenarioKind.PINGPONG, 4, 64, 2, 3, 0, 3)), s);
        assertEquals(new Scenario(ScenarioKind.PINGPONG, 4, 64, 2, 3, 0, 7), ScenarioId.overridden(s.get(2), null, null, 7));
        assertEquals(new Scenario(ScenarioKind.PINGPONG, 4, 64, 1, 10, 0, 3), ScenarioId.overridden(s.get(2), 1, 10, null));
    }

    @Test
    void badIdsAreRefusedInOneSentence() {
        assertEquals("'pingpong-16' is neither a kind of scenario (pingpong, rate, churn, hold, bulk) nor a scenario id such as "
                + "pingpong-c16-64B, rate-R5000-c16-64B, churn-c4, churn-R10-c1, hold-c5000, bulk-c4-64KiB, pingpong-c64-64B-cpus2 or scaling-c64-64B.",
                refusal("pingpong-16"));
        assertEquals("'rate-c16-64B' needs a rate above 0, messages per second, e.g. rate-R5000-c16-64B.", refusal("rate-c16-64B"));
        assertEquals("'hold-R10-c100' has an -R part, which only rate (messages per second) and churn (connections per second) take.",
                refusal("hold-R10-c100"));
        assertEquals("'pingpong-c0-64B' needs at least one connection (-c1 or more).", refusal("pingpong-c0-64B"));
        assertEquals("'pingpong-c1-8B' has 8-byte messages; the load generator's messages are at least 24 bytes.", refusal("pingpong-c1-8B"));
        assertEquals("profile quick has no rate scenario; name one by its id, e.g. rate-R5000-c16-64B.",
                assertThrows(UsageError.class, () -> ScenarioId.select(List.of("rate"), Profile.QUICK, 1)).getMessage());
    }

    private static String refusal(String id) {
        return assertThrows(UsageError.class, () -> ScenarioId.parse(id, Profile.STANDARD)).getMessage();
    }
}
