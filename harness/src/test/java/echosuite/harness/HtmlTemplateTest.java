package echosuite.harness;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's templates: every placeholder filled, none invented; cells styled by their column's kind. */
class HtmlTemplateTest {

    private static final HtmlTemplate SCENARIO = HtmlTemplate.load("report-scenario.html");

    private static Map<String, String> values(String id) {
        return Map.of("id", id, "caption", "", "headline", "h", "headings", "<th>server</th>", "rows", "", "note", "", "problems", "");
    }

    @Test
    void everyPlaceholderIsFilledAndEveryOccurrenceOfIt() {
        String html = SCENARIO.fill(values("pingpong-c1-64B"));
        assertTrue(html.startsWith("<h2 id=\"pingpong-c1-64B\">pingpong-c1-64B</h2>"), html);
        assertTrue(html.contains("data-scenario=\"pingpong-c1-64B\""), html);
        assertFalse(html.contains("{{"), html);
    }

    @Test
    void aMissingValueOrAnUnknownOneIsAMistake() {
        Map<String, String> missing = new java.util.HashMap<>(values("x"));
        missing.remove("note");
        assertThrows(IllegalArgumentException.class, () -> SCENARIO.fill(missing));
        Map<String, String> extra = new java.util.HashMap<>(values("x"));
        extra.put("footer", "");
        assertThrows(IllegalArgumentException.class, () -> SCENARIO.fill(extra));
    }

    @Test
    void aValueIsInsertedAsItIsEvenWithDollarSignsAndBackslashes() {
        assertTrue(SCENARIO.fill(values("a$1\\b")).contains("id=\"a$1\\b\""));
    }

    @Test
    void theStyleOfACellFollowsTheKindOfItsColumn() {
        assertTrue(SummaryColumns.Kind.NAME.leftAligned() && SummaryColumns.Kind.VERDICT.leftAligned());
        assertFalse(SummaryColumns.Kind.FIGURE.leftAligned());
        assertTrue(SummaryColumns.Kind.STATUS.bad("server failed") && !SummaryColumns.Kind.STATUS.bad("ok"));
        assertTrue(SummaryColumns.Kind.VERDICT.bad("NOT verified") && !SummaryColumns.Kind.VERDICT.bad("verified"));
        assertEquals("&lt;b&gt; &amp; &quot;", HtmlTemplate.esc("<b> & \""));
    }
}
