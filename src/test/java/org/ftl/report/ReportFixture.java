package org.ftl.report;

import org.ftl.Json;
import org.ftl.runs.RunRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written finished run folder: a baseline, eight iou candidates, two each of l1, random and apoz (at
 * f = 0.2 and 0.5; apoz beats iou at 0.5), and one failed candidate whose error has a comma, quotes and markup.
 */
final class ReportFixture {
    static final String WINNER = "iou-0.30";
    static final String ERROR = "layer 3, \"conv\" <script>alert('x')</script> & out of memory";
    static final String HEADER = "candidate,criterion,leave_factor,filters_left,filters_ratio,params,params_ratio,flops,"
            + "size_bytes,latency_ms,latency_ratio,accuracy,precision,recall,f1,auc,score,rank,status,error,filter_counts,"
            + "head_c,cv_score,latency_baseline_ms,latency_repetitions,confusion,train_images,evaluation_images";

    private ReportFixture() {
    }

    /** Creates the run folder RUN under parent; finished adds _SUCCESS. */
    static Path create(Path parent, boolean finished) throws IOException {
        Path run = parent.resolve("20261122-000000-fixture");
        Files.createDirectories(run);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        double[] iou = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9};
        double[] iouF1 = {0.60, 0.66, 0.70, 0.74, 0.73, 0.68, 0.72, 0.71};
        int[] iouRank = {9, 6, 3, 1, 2, 11, 4, 7};
        for (int i = 0; i < iou.length; i++) {
            csv.append(row("iou", iou[i], iouF1[i], iouRank[i])).append('\n');
        }
        csv.append(row("l1", 0.2, 0.65, 8)).append('\n').append(row("l1", 0.5, 0.66, 10)).append('\n');
        csv.append(row("random", 0.2, 0.55, 14)).append('\n').append(row("random", 0.5, 0.60, 13)).append('\n');
        csv.append(row("apoz", 0.2, 0.64, 12)).append('\n').append(row("apoz", 0.5, 0.69, 5)).append('\n');
        csv.append(row("baseline", 1.0, 0.70, 15)).append('\n');
        csv.append("iou-0.60,iou,0.6,,,,,,,,,,,,,,,,failed,\"").append(ERROR.replace("\"", "\"\""))
                .append("\",,,,,,,,\n");
        Files.writeString(run.resolve("metrics.csv"), csv.toString());
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("data", 0.5);
        stages.put("features+heads", 12.25);
        stages.put("total", 14.0);
        RunRecord record = new RunRecord(run.getFileName().toString(), "fixture", "2026-11-22T00:00:00Z", "testhost",
                Map.of("spark.version", "3.5.7", "ftl.version", "0.1.0-test"), "file:/data/fixture", "cafe0123fingerprint",
                List.of("Background", "Crack"), 100, 40, 10, 15, 1, WINNER, stages, null, Map.of("features", 8.5, "heads", 3.5), 0, List.of(),
                "ftl {\n  name=fixture\n  decision { score=\"f1 / baseline_f1 + (1 - params / baseline_params)\" }\n}\n", null, 0);
        Files.writeString(run.resolve("run.json"), Json.write(record));
        if (finished) {
            Files.write(run.resolve("_SUCCESS"), new byte[0]);
        }
        return run;
    }

    private static String row(String criterion, double f, double f1, int rank) {
        String id = criterion + String.format(Locale.ROOT, "-%.2f", f);
        double filters = Math.max(0.01, f);
        double params = filters * filters;
        long totalParams = 1_000_000;
        double acc = f1 + 0.01;
        String counts = String.format(Locale.ROOT, "%d/48 %d/128 %d/192", Math.round(48 * f), Math.round(128 * f), Math.round(192 * f));
        return String.join(",", id, criterion, num(f), String.valueOf(Math.round(368 * filters)), num(filters),
                String.valueOf(Math.round(totalParams * params)), num(params), String.valueOf(Math.round(9e7 * params)),
                String.valueOf(Math.round(4e6 * params)), num(0.5 + 5 * params), num((0.5 + 5 * params) / 5.5), num(acc),
                num(f1), num(f1), num(f1), num(0.8), num(f1 / 0.7 + 1 - params), String.valueOf(rank), "ok", "",
                counts, "1.0", "0.7", "5.5", "20", "\"[[40, 10], [12, 38]]\"", "100", "40");
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }
}
