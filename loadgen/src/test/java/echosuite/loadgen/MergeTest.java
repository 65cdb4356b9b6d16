package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.EncodableHistogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merging the .hlog files of two load generators is histogram addition. */
class MergeTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void mergingTwoLogsEqualsRecordingIntoOneHistogram() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            Path a = dir.resolve("a.hlog"), b = dir.resolve("b.hlog");
            RunResult ra = runWithLog(server, a, 0);
            RunResult rb = runWithLog(server, b, 1_000);
            Histogram oneHistogram = new Histogram(ThreadRecorders.SIGNIFICANT_DIGITS);
            oneHistogram.add(ra.latency());
            oneHistogram.add(rb.latency());
            assertTrue(ra.latency().getTotalCount() > 0 && rb.latency().getTotalCount() > 0);

            Histogram merged = HistogramFiles.merge(List.of(a, b), null);
            assertEquals(oneHistogram.getTotalCount(), merged.getTotalCount(), "the warm-up is not in the untagged intervals");
            assertEquals(oneHistogram, merged);
            assertEquals(oneHistogram.getValueAtPercentile(99), merged.getValueAtPercentile(99));
            assertEquals(oneHistogram.getMaxValue(), merged.getMaxValue());

            Path out = dir.resolve("all.hgrm");
            assertEquals(ExitStatus.OK, Loadgen.execute("merge", a.toString(), b.toString(), "--out", out.toString()));
            String hgrm = Files.readString(out);
            assertTrue(hgrm.contains("Total count    =" + String.format("%13d", oneHistogram.getTotalCount())), hgrm);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theLogHasOneIntervalPerSecondAndTagsTheWarmup() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            Path log = dir.resolve("run.hlog");
            RunResult r = runWithLog(server, log, 0);
            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            long untagged = 0, warmup = 0, intervals = 0;
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h.getTag() == null) {
                    intervals++;
                    untagged += ((Histogram) h).getTotalCount();
                    assertTrue(h.getEndTimeStamp() - h.getStartTimeStamp() <= 1_000, "at most one second per interval");
                } else if (h.getTag().equals("warmup")) {
                    warmup += ((Histogram) h).getTotalCount();
                }
            }
            reader.close();
            assertEquals(r.latency().getTotalCount(), untagged);
            assertEquals(r.warmup[Metric.LATENCY.ordinal()].getTotalCount(), warmup);
            assertTrue(warmup > 0, "warm-up traffic is logged, tagged");
            assertTrue(intervals >= 2, intervals + " intervals for a 1.5 s run");
        }
    }

    private static RunResult runWithLog(TestEchoServer server, Path hlog, long firstId) throws Exception {
        RunConfig config = TestRuns.config("pingpong", server.address(), 2, 64, 1_000, 500, firstId);
        return TestRuns.run(config, ClosedLoop.factory(2, 1, 0), new IntervalSampler.Output(hlog, null, "msgs/s", "test"));
    }
}
