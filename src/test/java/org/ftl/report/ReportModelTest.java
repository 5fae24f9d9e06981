package org.ftl.report;

import org.apache.hadoop.conf.Configuration;
import org.ftl.runs.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's content before any markup: what each section of the fixture run's page says. */
class ReportModelTest {
    @TempDir
    Path tmp;

    private ReportModel model() throws Exception {
        return Report.model(RunFolder.open(ReportFixture.create(tmp, true).toString(), new Configuration()));
    }

    @Test
    void topTableIsTheTenBestByRankWithTheWinnerFirst() throws Exception {
        ReportModel m = model();
        assertEquals(ReportFixture.WINNER, m.summary().winner().candidate());
        assertEquals("16 candidates, 1 failed.", m.summary().counts());
        List<ReportModel.Row> top = m.top().rows();
        assertEquals(List.of("iou-0.30", "iou-0.40", "iou-0.20", "iou-0.70", "apoz-0.50", "iou-0.10", "iou-0.90", "l1-0.20",
                "iou-0.05", "l1-0.50"), top.stream().map(r -> r.cells().get(1).text()).toList());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                top.stream().map(r -> r.cells().get(0).text()).toList());
        assertEquals(List.of(true, false, false, false, false, false, false, false, false, false),
                top.stream().map(ReportModel.Row::winner).toList());
        // iou-0.30: filters_ratio 0.3, params_ratio 0.09, f1 0.74
        List<String> first = top.get(0).cells().stream().map(ReportModel.Cell::text).toList();
        assertEquals(List.of("1", "iou-0.30", "iou", "0.3000", "30.00 %", "9.00 %", "90000"), first.subList(0, 7));
        assertEquals("0.7400", first.get(m.top().columns().indexOf("f1")));
        assertEquals(List.of(true, false, false, true), top.get(0).cells().subList(0, 4).stream().map(ReportModel.Cell::number).toList());
    }

    @Test
    void baselineFiltersFailuresAndProvenanceAreTheRunsOwn() throws Exception {
        ReportModel m = model();
        assertEquals("baseline-1.00", m.baseline().rows().get(0).cells().get(1).text());
        assertEquals(false, m.baseline().rows().get(0).winner());
        assertEquals(List.of(new ReportModel.Layer(1, "14", "48", "29.2 %"), new ReportModel.Layer(2, "38", "128", "29.7 %"),
                new ReportModel.Layer(3, "58", "192", "30.2 %")), m.winnerFilters().layers());
        assertEquals("14/48 38/128 58/192", m.winnerFilters().keptOfTotal());
        assertEquals(List.of(new ReportModel.Failure("iou-0.60", "iou", "0.6", "failed", ReportFixture.ERROR)), m.failed());
        assertEquals("f1 / baseline_f1 + (1 - params / baseline_params)", m.scoreFormula());
        assertEquals(List.of("ftl.version", "spark.version"), m.provenance().versions().stream().map(Provenance.Entry::key).toList());
        assertEquals(List.of("data", "features+heads", "total"), m.provenance().stages().stream().map(Provenance.Entry::key).toList());
        assertEquals("0.5 s", m.provenance().stages().get(0).value());
        assertEquals(new Provenance.Entry("candidates", "15 (1 failed)"), m.provenance().run().get(7));
        assertNull(m.provenance().problems(), "run.json lists no input problems");
        Stream.of(m.accuracy(), m.cost(), m.filters(), m.score(), m.criteria())
                .forEach(c -> assertTrue(c.dataUri().startsWith("data:image/png;base64,iVBOR"), c.alt()));
    }

    @Test
    void scoreFormulaIsTheSettingsStringOrNothing() {
        assertEquals("f1 - params_ratio", ReportModel.scoreFormula("ftl.decision.score = \"f1 - params_ratio\""));
        assertNull(ReportModel.scoreFormula("ftl { decision { score { nested = 1 } } }"), "not a string");
        assertNull(ReportModel.scoreFormula("ftl { decision {"), "does not parse");
        assertNull(ReportModel.scoreFormula("ftl.name = x"), "no decision");
    }
}
