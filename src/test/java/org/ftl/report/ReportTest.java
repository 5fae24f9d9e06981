package org.ftl.report;

import com.github.mustachejava.util.HtmlEscaper;
import org.apache.hadoop.conf.Configuration;
import org.ftl.cli.CliTest;
import org.ftl.cli.ExitCode;
import org.ftl.runs.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static final Pattern IMG = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    Path tmp;

    private String report() throws Exception {
        Path run = ReportFixture.create(tmp, true);
        Report.write(RunFolder.open(run.toString(), new Configuration()), new Configuration());
        return Files.readString(run.resolve(Report.FILE));
    }

    @Test
    void everySectionIsThere() throws Exception {
        String html = report();
        for (String heading : List.of("Test accuracy against parameters left", "Model size and inference time",
                "Filters left", "Decision function", "Criteria compared", "Top 10 candidates",
                "Winner's filters per layer", "Baseline", "Failed candidates", "Provenance", "Versions",
                "Stage timings", "Configuration")) {
            assertTrue(html.contains(">" + heading + "</h"), "missing heading " + heading);
        }
        assertTrue(html.contains("cafe0123fingerprint"));
        assertTrue(html.contains("testhost"));
        assertTrue(html.contains("<pre class=\"config\">ftl {"), "config in a <pre>");
        assertTrue(html.contains("12.3 s") || html.contains("12.2 s"), "stage timings");
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "self-contained: no network, no scripts");
    }

    @Test
    void fiveChartsDecodeToImagesThatAreNotBlank() throws Exception {
        String html = report();
        Matcher m = IMG.matcher(html);
        List<BufferedImage> images = new ArrayList<>();
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(img, "chart " + images.size() + " is not a PNG");
            images.add(img);
        }
        assertEquals(5, images.size());
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            assertEquals(Charts.WIDTH, img.getWidth());
            // the plot area (the middle of the chart): more than background and grid means something was drawn
            Set<Integer> colours = new HashSet<>();
            for (int y = img.getHeight() / 5; y < img.getHeight() * 4 / 5; y++) {
                for (int x = img.getWidth() / 8; x < img.getWidth() * 7 / 8; x++) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 5, "chart " + i + " looks blank: " + colours.size() + " colours");
        }
    }

    @Test
    void winnerLeadsTheTopTable() throws Exception {
        String html = report();
        String top = between(html, "id=\"top\"", "id=\"winner-filters\"");
        assertTrue(top.contains("<tr class=\"winner\"><td class=\"num\">1</td><td>" + ReportFixture.WINNER + "</td>"), top);
        assertTrue(html.contains("Winner: <strong class=\"winner\">" + ReportFixture.WINNER + "</strong>"));
        String baseline = between(html, "id=\"baseline\"", "id=\"failed\"");
        assertTrue(baseline.contains("<td>baseline-1.00</td>"), baseline);
        String filters = between(html, "id=\"winner-filters\"", "id=\"baseline\"");
        assertTrue(filters.contains("14/48 38/128 58/192"), filters);
    }

    @Test
    void failedCandidatesErrorIsEscaped() throws Exception {
        String html = report();
        String failed = between(html, "id=\"failed\"", "id=\"provenance\"");
        assertTrue(failed.contains("iou-0.60"), failed);
        assertTrue(failed.contains("layer 3, &quot;conv&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; out of memory"),
                failed);
        assertFalse(html.contains("<script>"));
    }

    @Test
    void verdictSaysWhereIouWinsAndWhereNot() throws Exception {
        String html = report();
        String verdict = between(html, "class=\"verdict\"", "</p>");
        assertTrue(verdict.contains(escaped("best F1 at 1 of 2 budgets: f = 0.2 (4.0 % of parameters)")), verdict);
        assertTrue(verdict.contains(escaped("does not at f = 0.5 (25.0 % of parameters): apoz 0.690 vs iou 0.680")), verdict);
    }

    @Test
    void settingsKeepTheirLinesInThePage() throws Exception {
        String html = report();
        String config = between(html, "<pre class=\"config\">", "</pre>");
        assertTrue(config.contains("ftl {\n  name&#61;fixture\n  decision { score&#61;&quot;f1 / baseline_f1"), config);
        assertFalse(html.contains("&#10;"), "line breaks written as themselves");
    }

    @Test
    void csvKeepsQuotedFieldsWhole() throws Exception {
        Path run = ReportFixture.create(tmp, true);
        List<MetricsRow> rows = MetricsCsv.parse(Files.readAllBytes(run.resolve("metrics.csv")));
        assertEquals(16, rows.size());
        MetricsRow failed = rows.get(15);
        assertEquals("failed", failed.text("status"));
        assertEquals(ReportFixture.ERROR, failed.text("error"));
        assertEquals("[[40, 10], [12, 38]]", rows.get(0).text("confusion"));
        assertTrue(Double.isNaN(failed.number("params_ratio")));
    }

    @Test
    void reportCommandRebuildsAFinishedRun() throws Exception {
        Path run = ReportFixture.create(tmp, true);
        CliTest.Run r = new CliTest.Run("report", run.toString());
        assertEquals(ExitCode.OK, r.code, r.err);
        assertTrue(r.out.contains(Report.FILE), r.out);
        assertTrue(Files.readString(run.resolve(Report.FILE)).contains(ReportFixture.WINNER));
    }

    @Test
    void reportCommandRefusesAnUnfinishedRun() throws Exception {
        Path run = ReportFixture.create(tmp, false);
        CliTest.Run r = new CliTest.Run("report", run.toString());
        assertEquals(ExitCode.INPUT, r.code, r.err);
        assertTrue(r.err.contains(run.toString()) && r.err.contains("_SUCCESS"), r.err);
        assertFalse(Files.exists(run.resolve(Report.FILE)));

        CliTest.Run missing = new CliTest.Run("report", tmp.resolve("nothing-here").toString());
        assertEquals(ExitCode.INPUT, missing.code, missing.err);
        assertTrue(missing.err.contains("nothing-here"), missing.err);
    }

    @Test
    void aRunWhereEveryCandidateFailedStillGetsAReport() throws Exception {
        Path run = tmp.resolve("all-failed");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.csv"), ReportFixture.HEADER + "\n"
                + "iou-0.50,iou,0.5,,,,,,,,,,,,,,,,failed,\"out of memory, \"\"again\"\"\",,,,,,,,\n");
        Report.write(RunFolder.open(run.toString(), new Configuration()), new Configuration());
        String html = Files.readString(run.resolve(Report.FILE));
        assertTrue(html.contains("No candidate was ranked."), html);
        assertTrue(html.contains("out of memory, &quot;again&quot;"), html);
        assertTrue(html.contains("No run.json"), html);
        assertEquals(5, IMG.matcher(html).results().count());
    }

    /** The text as the page writes it: Mustache's HTML escaping, which also writes "=" as "&#61;". */
    static String escaped(String text) {
        StringWriter out = new StringWriter();
        HtmlEscaper.escape(text, out);
        return out.toString();
    }

    static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        assertTrue(a >= 0, "no " + from);
        int b = s.indexOf(to, a + from.length());
        assertTrue(b >= 0, "no " + to + " after " + from);
        return s.substring(a, b);
    }
}
