package echosuite.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The converter on a hand-written result in JMH's JSON shape (the smoke test covers a real one). */
class JmhResultTableTest {

    private static final String RESULT = """
            [ {
                "jmhVersion" : "1.37", "benchmark" : "echosuite.bench.RecordFramerThroughput.frameOneReadAndTakeTheBatch",
                "mode" : "thrpt", "threads" : 1, "forks" : 2, "jvmArgs" : [ ],
                "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25+36",
                "params" : { "messageBytes" : "1024" },
                "primaryMetric" : { "score" : 1234567.891, "scoreError" : 2345.6, "scoreUnit" : "ops/s",
                                    "rawData" : [ [ 1.0, 2.0 ], [ 3.0, 4.0 ] ] },
                "secondaryMetrics" : { "bytes" : { "score" : 1.5E9, "scoreError" : "NaN", "scoreUnit" : "ops/s",
                                                   "rawData" : [ [ 1.0 ] ] } }
            } ]
            """;

    @Test
    void rendersOneTablePerClassWithPrimaryAndSecondaryRows() {
        String table = JmhResultTable.render(RESULT, "r.json", "./suite bench --quick");
        assertTrue(table.contains("## RecordFramerThroughput"), table);
        assertTrue(table.contains("| frameOneReadAndTakeTheBatch | messageBytes=1024 | throughput | 1 | 4 | 1,234,568 | 2,346 | ops/s |"), table);
        assertTrue(table.contains("| frameOneReadAndTakeTheBatch · bytes | messageBytes=1024 | throughput | 1 | 1 | 1,500,000,000 | n/a | bytes/s |"), table);
        assertTrue(table.contains("Command: `./suite bench --quick`."), table);
    }

    @Test
    void formatsAboutThreeSignificantFigures() {
        assertEquals("42.3", JmhResultTable.number(42.31));
        assertEquals("4.23", JmhResultTable.number(4.231));
        assertEquals("0.0423", JmhResultTable.number(0.04231));
        assertEquals("n/a", JmhResultTable.number(Double.NaN));
    }

    @Test
    void rejectsTextThatIsNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhResultTable.render("[ { \"benchmark\" : ", "bad.json", ""));
        assertTrue(e.getMessage().startsWith("not JSON at offset"), e.getMessage());
    }

    @Test
    void rejectsJsonThatIsNotAJmhResult() {
        IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class,
                () -> JmhResultTable.render("{ \"benchmark\" : \"a.B.c\" }", "object.json", ""));
        assertTrue(notAList.getMessage().startsWith("not a list of results"), notAList.getMessage());
        IllegalArgumentException noBenchmark = assertThrows(IllegalArgumentException.class,
                () -> JmhResultTable.render("[ { \"mode\" : \"thrpt\" } ]", "nameless.json", ""));
        assertTrue(noBenchmark.getMessage().startsWith("not a JMH result"), noBenchmark.getMessage());
    }

    @Test
    void saysSoWhenNoBenchmarkRanToCompletion() {
        assertTrue(JmhResultTable.render("[ ]", "empty.json", "").contains("`empty.json` holds no results"));
    }
}
