package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The committed reference run (results/reference/standard), its load generator files written by
 * the code before {@code LoadReport} and its rows before they were grouped, still reads: the rows
 * computed from its raw files are the ones in its summary.csv and summary.json, column for column.
 */
class ReferenceRunTest {

    private static final Path REFERENCE = Path.of("..", "results", "reference", "standard");

    @Test
    void theRowsOfTheReferenceRunAreTheOnesItsSummaryFilesHold() throws IOException {
        ResultTable table = ResultTable.of(new RunFolder(REFERENCE));
        assertFalse(table.rows().isEmpty(), "the reference run has rows");
        assertEquals(Files.readString(REFERENCE.resolve("summary.csv")), SummaryWriter.csv(table));
        JsonNode committed = RunFolder.JSON.readTree(REFERENCE.resolve("summary.json").toFile()).get("rows");
        assertEquals(RunFolder.JSON.writeValueAsString(committed), RunFolder.JSON.writeValueAsString(table.rows()),
                "the same keys in the same order, with the same values");
    }
}
