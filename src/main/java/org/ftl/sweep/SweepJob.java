package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ftl.FtlError;
import org.ftl.backbone.Backbones;
import org.ftl.config.FtlConfig;
import org.ftl.cost.LatencySettings;
import org.ftl.data.DataFingerprint;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.data.SegmentedLoader;
import org.ftl.decide.DecisionFunction;
import org.ftl.decide.MetricsColumns;
import org.ftl.decide.MetricsFiles;
import org.ftl.decide.TopTable;
import org.ftl.head.HeadSettings;
import org.ftl.prune.Candidate;
import org.ftl.prune.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.SegmentedSet;
import org.ftl.report.Report;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * The sweep, as the driver runs it: check the decision function, list the data, get the backbone, then
 * prune every candidate on the executors, decode the images once, extract features and fit heads round by
 * round, and rank the metrics. Everything lands in a new run folder, {@code _SUCCESS} last.
 */
public final class SweepJob {
    private final FtlConfig config;
    private final PrintStream console;
    private final Map<String, Double> timings = new LinkedHashMap<>();

    /**
     * What a finished sweep gives back.
     *
     * @param stageSeconds wall time per stage in run order, as run.json's {@code stageSeconds} (and "total")
     */
    public record Result(RunFolder run, Dataset<Row> ranked, Row winner, long failed, Map<String, Double> stageSeconds) {
        public Result {
            stageSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
        }
    }

    public SweepJob(FtlConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    public Result run() {
        long start = System.nanoTime();
        SparkSession spark = SparkSessions.start(config.spark());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SweepProgress progress = new SweepProgress(console);
        sc.sc().addSparkListener(progress);
        try {
            return run(spark, sc, start);
        } finally {
            sc.sc().removeSparkListener(progress);
        }
    }

    private Result run(SparkSession spark, JavaSparkContext sc, long start) {
        DecisionFunction decision = new DecisionFunction(config.decision().score(), config.decision().constraints());
        decision.validate(spark); // a bad expression stops here, before any work
        Configuration hadoop = sc.hadoopConfiguration();

        long t = System.nanoTime();
        DataListing listing = DataListing.scan(config.data().root(), config.data().imageExtensions(), hadoop);
        if (listing.evaluation().isEmpty()) {
            throw new FtlError(listing.root() + "/evaluation: no images: the heads are tested on evaluation/<Class>/");
        }
        int positive = listing.classes().indexOf(config.data().targetClass());
        if (positive < 0) {
            throw new FtlError("data.target-class '" + config.data().targetClass() + "' is not a class of "
                    + listing.root() + "/dataset (" + String.join(", ", listing.classes()) + ")");
        }
        String fingerprint = DataFingerprint.of(listing, hadoop);
        console.printf(Locale.ROOT, "data: %s — classes %s, %d training, %d evaluation, %d segmented images (fingerprint %s)%n",
                listing.root(), listing.classes(), listing.dataset().size(), listing.evaluation().size(),
                listing.segmented().size(), fingerprint.substring(0, 12));
        timings.put("data", seconds(t));

        RunFolder run = RunFolder.create(config.runs().root(), config.name(), hadoop);
        console.println("run: " + run.path());

        t = System.nanoTime();
        ConvChain backbone = Backbones.resolve(config, listing, hadoop, line -> console.println("  " + line));
        console.printf(Locale.ROOT, "backbone: %s, %d conv layers, %d filters, %,d parameters%n",
                config.backbone().source(), backbone.blocks().size(), backbone.totalFilters(), backbone.parameters());
        timings.put("backbone", seconds(t));

        List<Candidate> plan = CandidatePlan.of(config.prune());
        List<String> segmentedProblems = new ArrayList<>(listing.problems());
        boolean needsMasks = plan.stream().anyMatch(c -> c.criterion().equals("iou") || c.criterion().equals("apoz"));
        SegmentedSet segmented = null;
        if (needsMasks) {
            if (listing.segmented(config.data().targetClass()).isEmpty()) {
                throw new FtlError(listing.root() + "/segmented: no images of the target class " + config.data().targetClass()
                        + " with masks: the iou and apoz criteria need them (or leave them out of prune.criteria)");
            }
            SegmentedLoader.Loaded loaded = SegmentedLoader.load(listing.segmented(), config.input().shape(),
                    config.input().preprocessing(), config.prune().maskResize(), hadoop);
            segmented = loaded.set();
            segmentedProblems.addAll(loaded.problems());
        }

        // stage 1: prune
        t = System.nanoTime();
        console.printf(Locale.ROOT, "prune: %d candidates (%s)%n", plan.size(), describe(plan));
        Broadcast<byte[]> backboneBytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> segmentedSet = sc.broadcast(segmented);
        sc.setJobGroup("prune", "build each candidate's pruned variant", false);
        JavaRDD<VariantRecord> variants = PruneStage.run(sc, plan, config.sweep().candidatePartitions(), backboneBytes,
                segmentedSet, config.input().shape(), Criteria.spec(config)).persist(StorageLevel.MEMORY_AND_DISK_SER());
        Map<String, VariantRecord> variantInfo = new HashMap<>();
        for (VariantRecord v : variants.map(VariantRecord::withoutModel).collect()) {
            variantInfo.put(v.candidate().id(), v);
        }
        sc.clearJobGroup();
        timings.put("prune", seconds(t));

        // stage 2a: the image set, decoded once per partition
        t = System.nanoTime();
        List<ImageRow> images = imageRows(listing);
        sc.setJobGroup("decode", "decode and resize the image set", false);
        JavaRDD<DecodedBlock> decoded = ImageStage.decode(sc, images, config.sweep().imagePartitions(), config.input().shape());
        List<String> problems = new ArrayList<>(segmentedProblems);
        List<String> unreadable = decoded.flatMap(b -> b.problems().iterator()).collect();
        sc.clearJobGroup();
        problems.addAll(unreadable);
        if (!segmentedProblems.isEmpty()) {
            console.printf(Locale.ROOT, "segmented set: %d file(s) left out or repaired (listed in run.json)%n",
                    segmentedProblems.size());
        }
        if (!unreadable.isEmpty()) {
            console.printf(Locale.ROOT, "images: %d could not be read and were left out (listed in run.json)%n", unreadable.size());
        }
        timings.put("decode", seconds(t));

        // stages 2b–4: features, heads and cost, in rounds of bounded size
        t = System.nanoTime();
        HeadJob job = new HeadJob(config.input().shape(), config.features().mode(),
                new HeadSettings(config.head().cGrid(), config.head().folds(), config.head().standardize(),
                        config.head().cvMetric(), config.head().maxIterations(), config.head().tolerance(), config.seed()),
                new LatencySettings(config.cost().threads(), config.cost().warmup(), config.cost().minRepetitions(),
                        config.cost().minSeconds()),
                listing.classes(), positive, config.seed());
        Map<String, CandidateResult> results = new HashMap<>();
        List<List<String>> rounds = rounds(plan, variantInfo, config.sweep().variantGroupMb() * 1024L * 1024L);
        for (int r = 0; r < rounds.size(); r++) {
            List<String> ids = rounds.get(r);
            if (rounds.size() > 1) {
                console.printf(Locale.ROOT, "round %d/%d: %d variants%n", r + 1, rounds.size(), ids.size());
            }
            Set<String> wanted = Set.copyOf(ids);
            sc.clearJobGroup();
            Map<String, byte[]> models = variants.filter(v -> v.ok() && wanted.contains(v.candidate().id()))
                    .collect().stream().collect(Collectors.toMap(v -> v.candidate().id(), VariantRecord::model));
            Broadcast<Map<String, byte[]>> round = sc.broadcast(models);
            sc.setJobGroup("features", "every variant over every image partition", false);
            JavaPairRDD<String, Iterable<FeatureBlock>> features = FeatureStage.extract(decoded, round, ids,
                    config.input().shape(), config.input().preprocessing(), config.features().batchSize(),
                    config.features().mode()).groupByKey(Math.max(1, ids.size()));
            sc.setJobGroup("heads", "heads, test metrics and cost per candidate", false);
            for (CandidateResult c : HeadStage.evaluate(features, round, backboneBytes, job).collect()) {
                results.put(c.candidate(), c);
            }
            round.destroy();
        }
        timings.put("features+heads", seconds(t));
        sc.clearJobGroup(); // the driver's own jobs below are not a sweep stage

        // the driver's part: one table, ranked
        t = System.nanoTime();
        Dataset<Row> metrics = spark.createDataFrame(MetricsTable.rows(plan, variantInfo, results), MetricsColumns.all());
        Dataset<Row> ranked = decision.rank(metrics).cache();
        List<Row> top = ranked.filter(col("rank").equalTo(1)).collectAsList();
        if (top.isEmpty()) {
            throw new FtlError("no candidate could be ranked: every one failed or missed the constraints "
                    + config.decision().constraints());
        }
        Row winner = top.get(0);
        long failed = ranked.filter(col("status").notEqual("ok")).count();
        timings.put("rank", seconds(t));

        t = System.nanoTime();
        MetricsFiles.writeParquet(ranked, run.path("metrics.parquet"));
        MetricsFiles.writeCsv(ranked, run.path("metrics.csv"), hadoop);
        String winnerId = winner.getAs("candidate");
        VariantRecord winnerVariant = variants.filter(v -> v.candidate().id().equals(winnerId)).first();
        BestModel.write(run, ConvChain.fromBytes(winnerVariant.model(), config.input().shape()), results.get(winnerId),
                winner, listing.classes(), job, config);
        timings.put("write", seconds(t));
        timings.put("total", seconds(start));
        run.write("run.json", RunRecord.of(config, run, fingerprint, listing, plan.size(), failed, problems, timings, winnerId));
        boolean reported = writeReport(run, hadoop, console);
        run.finish();
        variants.unpersist(false);
        decoded.unpersist(false);
        backboneBytes.destroy();
        segmentedSet.destroy();

        PrintWriter out = new PrintWriter(console, true);
        out.println();
        TopTable.print(ranked, config.decision().top(), out);
        out.printf(Locale.ROOT, "%nwinner: %s — f1 %.4f (baseline %.4f), %.2f %% of the parameters, latency x%.3f%n",
                winnerId, (double) winner.getAs("f1"), baselineF1(ranked), 100 * (double) winner.getAs("params_ratio"),
                winner.isNullAt(winner.fieldIndex("latency_ratio")) ? Double.NaN : (double) winner.getAs("latency_ratio"));
        out.printf(Locale.ROOT, "stages: %s%n", timings.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
        out.println("written: " + run.path() + " (metrics.csv, metrics.parquet, best/, run.json"
                + (reported ? ", " + Report.FILE : "") + ")");
        if (failed > 0) {
            out.printf(Locale.ROOT, "%d candidate(s) failed: see the status and error columns of metrics.csv%n", failed);
        }
        return new Result(run, ranked, winner, failed, timings);
    }

    private static double baselineF1(Dataset<Row> ranked) {
        Row b = ranked.filter(col("criterion").equalTo(CandidatePlan.BASELINE)).first();
        return b.isNullAt(b.fieldIndex("f1")) ? Double.NaN : (double) b.getAs("f1");
    }

    /** Training images first, then evaluation; class labels by the dataset's class order. */
    private static List<ImageRow> imageRows(DataListing listing) {
        List<ImageRow> rows = new ArrayList<>();
        for (ImageRef r : listing.dataset()) {
            rows.add(new ImageRow(rows.size(), r.path(), listing.classes().indexOf(r.className()), false));
        }
        for (ImageRef r : listing.evaluation()) {
            rows.add(new ImageRow(rows.size(), r.path(), listing.classes().indexOf(r.className()), true));
        }
        return rows;
    }

    /** Splits the built variants into rounds whose parameters fit the budget (each round at least one). */
    static List<List<String>> rounds(List<Candidate> plan, Map<String, VariantRecord> variants, long budgetBytes) {
        List<List<String>> rounds = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (Candidate c : plan) {
            VariantRecord v = variants.get(c.id());
            if (v == null || !v.ok()) {
                continue;
            }
            long size = 4 * v.params();
            if (!current.isEmpty() && bytes + size > budgetBytes) {
                rounds.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(c.id());
            bytes += size;
        }
        if (!current.isEmpty()) {
            rounds.add(current);
        }
        return rounds;
    }

    private static String describe(List<Candidate> plan) {
        Map<String, Long> byCriterion = new TreeMap<>(plan.stream().collect(Collectors.groupingBy(Candidate::criterion,
                Collectors.counting())));
        return byCriterion.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** report.html from what was just written; a report is not worth losing a sweep, so a failure is one line. */
    static boolean writeReport(RunFolder run, Configuration hadoop, PrintStream console) {
        try {
            Report.write(run, hadoop);
            return true;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            console.println("report.html not written (rebuild it with ftl report " + run.path() + "): "
                    + why.replaceAll("\\s*\\R\\s*", " "));
            return false;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
