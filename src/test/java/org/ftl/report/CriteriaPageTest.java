package org.ftl.report;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The criteria experiment's page: one chart that decodes, the verdict as a list, the table as printed, text escaped. */
class CriteriaPageTest {
    @Test
    void pageShowsTheChartVerdictAndTableWithItsTextEscaped() throws Exception {
        List<CriteriaPage.Series> series = List.of(
                new CriteriaPage.Series("iou", new double[] {10, 50}, new double[] {0.70, 0.80}, new double[] {0.01, Double.NaN}),
                new CriteriaPage.Series("l1", new double[] {10, 50}, new double[] {0.72, 0.60}, new double[] {0.02, 0.03}));
        List<String> verdict = CriteriaPage.verdict(series);
        assertEquals(2, verdict.size(), verdict.toString());
        String html = CriteriaPage.html("FTL criteria <tiny> & 'co'", series, 0.75, "criterion  f1\niou        0.700\nl1 <x>     0.720", verdict);

        assertTrue(html.startsWith("<!DOCTYPE html>\n"), html.substring(0, 40));
        assertTrue(html.contains("<title>FTL criteria &lt;tiny&gt; &amp; &#39;co&#39;</title>"), html.substring(0, 300));
        assertTrue(html.contains("<h1>FTL criteria &lt;tiny&gt; &amp; &#39;co&#39;</h1>"));
        assertTrue(html.contains("<pre>criterion  f1\niou        0.700\nl1 &lt;x&gt;     0.720</pre>"), "the table keeps its lines");
        assertEquals(verdict.size(), html.split("<li>", -1).length - 1);
        for (String v : verdict) {
            assertTrue(html.contains("<li>" + ReportTest.escaped(v) + "</li>"), v);
        }
        Matcher m = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(m.find(), "no chart");
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(chart, "the chart is not a PNG");
        assertEquals(Charts.WIDTH, chart.getWidth());
        assertFalse(m.find(), "one chart");
        assertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"), "self-contained");
    }
}
