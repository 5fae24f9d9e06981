package org.ftl.decide;

import org.ftl.runs.History;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one declaration of the metrics columns agrees with what the documents promise and what the files carry. */
class MetricTest {
    /** The backquoted, comma-separated column lists that follow {@code marker} in a document, joined. */
    static List<String> listedAfter(Path doc, String marker, int lists) throws IOException {
        String text = Files.readString(doc);
        int at = text.indexOf(marker);
        assertTrue(at >= 0, doc + " has no '" + marker + "'");
        Matcher m = Pattern.compile("`([a-z_0-9]+(?:,\\s+[a-z_0-9]+)+)`").matcher(text.substring(at));
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < lists; i++) {
            assertTrue(m.find(), doc + ": list " + (i + 1) + " after '" + marker + "'");
            out.addAll(Arrays.asList(m.group(1).split(",\\s+")));
        }
        return out;
    }

    @Test
    void theReadmeListsEveryColumnInTableOrder() throws IOException {
        assertEquals(Metric.columns(), listedAfter(Path.of("README.md"), "`metrics.csv` has one row per candidate", 2));
    }

    @Test
    void theContractsColumnsComeFirstInItsOrder() throws IOException {
        Path architecture = Path.of("..", "shared", "ARCHITECTURE.md");
        List<String> standard = Arrays.stream(Metric.values()).filter(Metric::standard).map(Metric::column).toList();
        assertEquals(Metric.STANDARD_COUNT, standard.size());
        assertEquals(Metric.columns().subList(0, Metric.STANDARD_COUNT), standard, "the contract's columns lead");
        if (Files.isRegularFile(architecture)) {
            assertEquals(standard, listedAfter(architecture, "Metrics columns:", 1));
        }
    }

    @Test
    void sparkAndTheFilesUseTheSameNamesAndTypes() {
        assertEquals(Metric.columns(), List.of(MetricsColumns.all().fieldNames()));
        for (Metric m : Metric.values()) {
            assertEquals(MetricsColumns.sparkType(m), MetricsColumns.all().apply(m.column()).dataType(), m.column());
            assertEquals(m, Metric.of(m.column()));
            assertTrue(!m.meaning().isBlank(), m.column());
        }
        assertEquals(List.of("filters_left", "filters_ratio", "params", "params_ratio", "flops", "size_bytes", "latency_ms",
                "latency_ratio", "accuracy", "precision", "recall", "f1", "auc"), MetricsColumns.NUMERIC);
    }

    @Test
    void theHistoryKeepsTheWinnersMetricsBetweenTheRunAndTheVerdict() {
        // the file format of RUNS/history.csv: older histories must still read
        assertEquals(List.of("finished", "run", "config", "data_fingerprint", "winner", "criterion", "leave_factor", "f1",
                "accuracy", "precision", "recall", "auc", "params", "params_ratio", "flops", "size_bytes", "latency_ms",
                "latency_ratio", "score", "candidates", "failed", "resumed", "previous_run", "previous_f1", "regression",
                "best"), History.COLUMNS);
    }
}
