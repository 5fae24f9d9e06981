package org.ftl.report;

import org.apache.hadoop.conf.Configuration;
import org.ftl.runs.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report as a browser shows it: headless Chromium renders the page (screenshot not blank) and, in the
 * DOM it dumps, every chart has decoded (naturalWidth > 0). Skipped where no Chromium is installed.
 */
class ReportBrowserTest {
    @TempDir
    Path tmp;

    @Test
    void chromiumRendersTheReportWithEveryChart() throws Exception {
        Optional<String> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on PATH (or $CHROMIUM): browser check skipped");
        Path run = ReportFixture.create(tmp, true);
        Report.write(RunFolder.open(run.toString(), new Configuration()), new Configuration());
        Path page = run.resolve(Report.FILE);

        Path shot = tmp.resolve("report.png");
        browse(chromium.get(), "--screenshot=" + shot, "--window-size=1280,4000", page.toUri().toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "no screenshot");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 100, "the screenshot looks blank: " + colours.size() + " colours");

        // a copy of the page with a probe that writes each image's decoded width into the DOM
        String probe = "<div id=\"probe\">pending</div><script>window.addEventListener('load', function () {"
                + "document.getElementById('probe').textContent = 'widths:' + Array.from(document.images)"
                + ".map(function (i) { return i.complete ? i.naturalWidth : -1; }).join(',');});</script>";
        Path probed = tmp.resolve("probed.html");
        Files.writeString(probed, Files.readString(page).replace("</body>", probe + "</body>"));
        String dom = browse(chromium.get(), "--dump-dom", "--virtual-time-budget=5000", probed.toUri().toString());
        assertTrue(dom.contains(ReportFixture.WINNER), "winner not in the rendered DOM");
        Matcher m = Pattern.compile("widths:([-0-9,]*)").matcher(dom);
        assertTrue(m.find(), "the probe did not run: " + dom.substring(Math.max(0, dom.length() - 500)));
        List<Integer> widths = Arrays.stream(m.group(1).split(",")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
        assertEquals(5, widths.size(), "images: " + widths);
        for (int w : widths) {
            assertEquals(Charts.WIDTH, w, "an image did not decode in the browser: " + widths);
        }
    }

    private String browse(String chromium, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile")));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static Optional<String> chromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && new File(env).canExecute()) {
            return Optional.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return Optional.of(f.getPath());
                }
            }
        }
        return Optional.empty();
    }
}
