package echosuite.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@link ChaosReport} turns surefire reports into cells: above all, a test that did not run never reads "held". */
class ChaosReportTest {

    private static final List<ServerUnderTest> SERVERS =
            List.of(ServerUnderTest.THREADED, ServerUnderTest.SELECTOR, ServerUnderTest.FORKING_PREFORK);

    /** A kit report as surefire 3.5 writes it; an aborted test's reason is only in its stack trace. */
    private static final String REPORT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="echosuite.conformance.ExhaustionReliabilityTest" tests="6" errors="0" skipped="3" failures="1">
              <testcase name="outOfThreads(ServerUnderTest, TestInfo)[1]" classname="echosuite.conformance.ExhaustionReliabilityTest" time="0.0">
                <skipped type="org.opentest4j.TestAbortedException"><![CDATA[org.opentest4j.TestAbortedException: this host has no cgroup v1 pids controller
            \tat org.junit.jupiter.api.Assumptions.abort(Assumptions.java:300)
            ]]></skipped>
              </testcase>
              <testcase name="outOfThreads(ServerUnderTest, TestInfo)[2]" classname="echosuite.conformance.ExhaustionReliabilityTest" time="1.0"/>
              <testcase name="outOfThreads(ServerUnderTest, TestInfo)[3]" classname="echosuite.conformance.ExhaustionReliabilityTest" time="1.0">
                <failure message="the limit of 50 tasks was never reached" type="org.opentest4j.AssertionFailedError"><![CDATA[trace]]></failure>
              </testcase>
              <testcase name="disabledHere(ServerUnderTest)[1]" classname="echosuite.conformance.ExhaustionReliabilityTest" time="0.0">
                <skipped message="not for this model"/>
              </testcase>
              <testcase name="disabledHere(ServerUnderTest)[2]" classname="echosuite.conformance.ExhaustionReliabilityTest" time="0.0">
                <skipped/>
              </testcase>
            </testsuite>
            """;

    @TempDir
    Path dir;

    @Test
    void aTestThatWasAbortedSkippedOrLeftNoResultIsNotRunWithItsReasonAndNeverHeld() throws Exception {
        Files.writeString(dir.resolve("TEST-echosuite.conformance.ExhaustionReliabilityTest.xml"), REPORT);
        Path figures = dir.resolve("figures.tsv");
        Files.writeString(figures, "outOfThreads\tselector\tdegraded\t2 of 60 clients closed\n");

        ChaosReport.Table table = ChaosReport.render(dir, figures, SERVERS);

        assertEquals(List.of("scenario (expected outcome)", "threaded", "selector", "forking --prefork 8"),
                cells(table, 0));
        assertEquals(List.of("out of threads", "not run: this host has no cgroup v1 pids controller",
                "held, degraded: 2 of 60 clients closed", "FAILED: the limit of 50 tasks was never reached"), cells(table, 2));
        assertEquals(List.of("disabled here", "not run: not for this model", "not run: the test report gives no reason",
                "not run: no result in the test reports (did the test JVM end early?)"), cells(table, 3));
        assertEquals(1, table.failed());
        assertEquals(4, table.notRun());
        assertEquals("\n1 scenario(s) FAILED (details in the table); 4 cell(s) not run (why in the table).",
                ChaosReport.summary(table));
    }

    @Test
    void theClosingLineSaysEveryScenarioHeldOnlyWhenEveryCellRan() {
        assertEquals("\nEvery scenario held on every server.", ChaosReport.summary(new ChaosReport.Table("", 0, 0)));
        assertEquals("\nEvery scenario that ran held; 2 cell(s) not run (why in the table).",
                ChaosReport.summary(new ChaosReport.Table("", 0, 2)));
    }

    /** The cells of line {@code index} of the markdown table. */
    private static List<String> cells(ChaosReport.Table table, int index) {
        String line = table.markdown().lines().toList().get(index);
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
