package org.ftl.sweep;

import org.ftl.prune.Criterion;
import org.ftl.runs.RunFolder;
import org.ftl.runs.RunRecord;
import org.ftl.runs.StageUsage;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.ftl.FtlError;
import org.ftl.OutOfResource;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.cost.CostSettings;
import org.ftl.data.DataFiles;
import org.ftl.data.DataFingerprint;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.prune.SegmentedLoader;
import org.ftl.decide.DecisionFunction;
import org.ftl.decide.MetricsColumns;
import org.ftl.decide.MetricsFiles;
import org.ftl.decide.TopTable;
import org.ftl.head.HeadTrainingImages;
import org.ftl.prune.Candidate;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.Folding;
import org.ftl.infer.OnnxExport;
import org.ftl.prune.SegmentedSet;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.ftl.report.Report;
import org.ftl.runs.History;
import org.ftl.runs.Retention;
import org.ftl.runs.RunsLock;

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
    private final StageMeter meter = new StageMeter();
    private SweepProgress progress;
    /** Where the sweep is, for a message when a resource runs out: the stage, its run folder, whether finished. */
    private String stage = "start";
    private RunFolder runFolder;
    private boolean finished;

    /**
     * What a finished sweep gives back: metrics.csv's rows as written, in rank order, and the winner's. {@code regression}: its winner's F1 fell more than
     * {@code runs.regression-tolerance} below the previous run's of the same name on the same data.
     *
     * @param stageSeconds      wall time per stage in run order, as run.json's {@code stageSeconds} (and "total")
     * @param sparkStageSeconds wall time of the Spark stages per label (features and heads apart), as run.json's
     * @param stageUsage        wall and CPU time, peak resident set and page faults per stage, as run.json's
     */
    public record Result(RunFolder run, List<MetricsRow> ranked, MetricsRow winner, long failed, boolean regression,
                         Map<String, Double> stageSeconds, Map<String, Double> sparkStageSeconds,
                         Map<String, StageUsage> stageUsage) {
        public Result {
            stageSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
            sparkStageSeconds = Map.copyOf(sparkStageSeconds);
            stageUsage = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageUsage));
        }
    }

    /**
     * The data as listed and checked: its classes, the positive class's index, the fingerprint and the images of
     * dataset/ the heads train on.
     */
    private record Inputs(DataListing listing, int positive, String fingerprint, List<ImageRef> headTraining) {
    }

    /** The run folder the sweep writes, its checkpoints, and the candidates finished before this sweep began. */
    private record Target(RunFolder run, Checkpoints checkpoints, RunIdentity identity, Map<String, Checkpoint> done) {
    }

    public SweepJob(FtlConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    public Result run() {
        StageMeter.Start start = meter.begin();
        SparkSession spark = SparkSessions.start(config.spark());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        progress = new SweepProgress(console, Map.of("heads", "features"));
        sc.sc().addSparkListener(progress);
        try {
            DecisionFunction decision = new DecisionFunction(config.decision().score(), config.decision().constraints());
            decision.validate(spark); // a bad expression stops here, before any work
            // one sweep at a time per runs root: they share the history, retention and the run a resume continues
            try (RunsLock lock = RunsLock.acquire(config.runs().root(), sc.hadoopConfiguration(), config.name(), console)) {
                return run(spark, sc, decision, start);
            }
        } catch (Exception | Error e) { // Exception: Spark's job failures are checked exceptions Scala throws undeclared
            OutOfResource out = outOfResource(e, sc.hadoopConfiguration());
            if (out != null) {
                throw out;
            }
            throw e;
        } finally {
            sc.sc().removeSparkListener(progress);
        }
    }

    private Result run(SparkSession spark, JavaSparkContext sc, DecisionFunction decision, StageMeter.Start start) {
        Configuration hadoop = sc.hadoopConfiguration();
        stage = "data";
        Inputs inputs = listData(hadoop);
        DataListing listing = inputs.listing();

        // the masks are checked before a backbone is trained or a run folder made: a bad segmented set stops here
        List<Candidate> plan = CandidatePlan.of(config.prune());
        List<String> segmentedProblems = new ArrayList<>();
        SegmentedSet segmented = segmented(plan, listing, hadoop, segmentedProblems);

        StageMeter.Start t = meter.begin();
        stage = "backbone";
        ConvChain backbone = Backbones.resolve(config.backboneRequest(), listing, hadoop, line -> console.println("  " + line));
        console.printf(Locale.ROOT, "backbone: %s, %d conv layers, %d filters, %,d parameters%n",
                config.backbone().source(), backbone.blocks().size(), backbone.totalFilters(), backbone.parameters());
        timings.put("backbone", meter.end("backbone", t));

        stage = "run folder";
        Target target = openRun(RunIdentity.of(config, inputs.fingerprint(), backbone, plan.size()), plan, hadoop);
        RunFolder run = target.run();
        List<Candidate> missing = plan.stream().filter(c -> !target.done().containsKey(c.id())).toList();

        // stage 1: prune (only what no checkpoint holds)
        t = meter.begin();
        stage = "prune";
        if (missing.isEmpty()) {
            console.println("prune: every candidate is checkpointed; only the winner is pruned again, for best/");
        } else {
            console.printf(Locale.ROOT, "prune: %d candidates (%s)%n", missing.size(), describe(missing));
        }
        Broadcast<byte[]> backboneBytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> segmentedSet = sc.broadcast(segmented);
        sc.setJobGroup("prune", "build each candidate's pruned variant", false);
        Deployment deployment = deployment(listing);
        JavaRDD<VariantRecord> variants = PruneStage.run(sc, missing, config.sweep().candidatePartitions(), backboneBytes,
                segmentedSet, deployment, Criteria.spec(config.criteriaRequest())).persist(StorageLevel.MEMORY_AND_DISK_SER());
        Map<String, VariantRecord> variantInfo = new HashMap<>();
        for (VariantRecord v : missing.isEmpty() ? List.<VariantRecord>of() : variants.map(VariantRecord::withoutModel).collect()) {
            variantInfo.put(v.candidate().id(), v);
            if (!v.ok() && !Errors.outOfMemory(v.error())) {
                target.checkpoints().write(Checkpoint.of(v)); // finished: a failed candidate is a row too
            }
        }
        target.done().values().forEach(cp -> variantInfo.put(cp.candidate(), cp.variant()));
        sc.clearJobGroup();
        timings.put("prune", meter.end("prune", t));

        // stage 2a: the image set, decoded once per partition
        t = meter.begin();
        stage = "decode";
        sc.setJobGroup("decode", "decode and resize the image set", false);
        JavaRDD<DecodedBlock> decoded = ImageStage.decode(sc, imageRows(inputs.headTraining(), listing),
                config.sweep().imagePartitions(), config.input().shape());
        List<String> problems = new ArrayList<>(listing.problems());
        problems.addAll(segmentedProblems);
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
        timings.put("decode", meter.end("decode", t));

        // stages 2b–4: features, heads and cost, in rounds of bounded size
        t = meter.begin();
        stage = "features+heads";
        HeadJob job = headJob(listing, inputs.positive());
        Map<String, CandidateResult> results = featuresAndHeads(sc, missing, variants, variantInfo, decoded, backbone,
                deployment, job, target.checkpoints());
        target.done().values().forEach(cp -> {
            CandidateResult r = cp.result();
            if (r != null) {
                results.put(cp.candidate(), r);
            }
        });
        timings.put("features+heads", meter.end("features+heads", t));
        sc.clearJobGroup(); // the driver's own jobs below are not a sweep stage

        // the driver's part: one table, ranked
        t = meter.begin();
        stage = "rank";
        Dataset<Row> metrics = spark.createDataFrame(MetricsTable.rows(plan, variantInfo, results), MetricsColumns.all());
        Dataset<Row> ranked = decision.rank(metrics).cache();
        List<Row> top = ranked.filter(col("rank").equalTo(1)).collectAsList();
        if (top.isEmpty()) {
            List<Row> failures = ranked.filter(col("status").notEqual("ok")).limit(1).collectAsList();
            throw new FtlError("no candidate could be ranked: every one failed or missed the constraints "
                    + config.decision().constraints() + (failures.isEmpty() ? "" : " (the first failure: "
                    + failures.get(0).getAs("candidate") + ": " + failures.get(0).getAs("error") + ")"));
        }
        Row winner = top.get(0);
        long failed = ranked.filter(col("status").notEqual("ok")).count();
        timings.put("rank", meter.end("rank", t));

        t = meter.begin();
        stage = "write";
        MetricsFiles.writeParquet(ranked, run.path("metrics.parquet"));
        MetricsFiles.writeCsv(ranked, run.path("metrics.csv"), hadoop);
        String winnerId = winner.getAs("candidate");
        VariantRecord winnerVariant = winnerVariant(sc, plan, winnerId, variants, variantInfo, backboneBytes, segmentedSet,
                deployment);
        BestModel.write(run, winnerVariant, results.get(winnerId), winner, listing.classes(), job, config);
        timings.put("write", meter.end("write", t));
        timings.put("total", meter.end("total", start));
        Map<String, Double> sparkStages = progress.stageSeconds();
        run.write("run.json", RunRecord.of(config.name(), config.render(), run, inputs.fingerprint(), listing, plan.size(), failed, problems, timings,
                sparkStages, meter.stages(), winnerId, target.identity() == null ? null : target.identity().key(), target.done().size()));
        stage = "report";
        boolean reported = writeReport(run, hadoop, console);
        stage = "write";
        run.finish();
        finished = true;
        stage = "history";
        target.checkpoints().delete(); // metrics.csv and best/ hold everything now
        variants.unpersist(false);
        decoded.unpersist(false);
        backboneBytes.destroy();
        segmentedSet.destroy();

        History.Verdict verdict = recordHistory(run, winner, inputs.fingerprint(), plan.size(), failed, target.done().size(),
                hadoop);

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
        outOfMemoryRows(ranked).ifPresent(out::println);
        if (verdict.regression()) {
            out.printf(Locale.ROOT, "REGRESSION: the winner's f1 %.4f is %.4f below %.4f of the previous run %s on the same "
                            + "data (runs.regression-tolerance %s); history.csv marks it%n", (double) winner.getAs("f1"),
                    verdict.drop((double) winner.getAs("f1")), verdict.previousF1(), verdict.previousRun(),
                    config.runs().regressionTolerance());
        }
        List<MetricsRow> rows = MetricsCsv.parse(run.read("metrics.csv"));
        MetricsRow winnerRow = rows.stream().filter(r -> r.candidate().equals(winnerId)).findFirst().orElseThrow();
        return new Result(run, rows, winnerRow, failed, verdict.regression(), timings, sparkStages, meter.stages());
    }

    /** Lists and checks the data layout and fingerprints it. */
    private Inputs listData(Configuration hadoop) {
        StageMeter.Start t = meter.begin();
        DataListing listing = DataListing.scan(config.data().root(), config.data().imageExtensions(), hadoop);
        if (listing.evaluation().isEmpty()) {
            throw new FtlError(listing.root() + "/evaluation: no images: the heads are tested on evaluation/<Class>/");
        }
        int positive = listing.classes().indexOf(config.data().targetClass());
        if (positive < 0) {
            throw new FtlError("data.target-class '" + config.data().targetClass() + "' is not a class of "
                    + listing.root() + "/dataset (" + String.join(", ", listing.classes()) + ")");
        }
        listing.requireImagesPerClass(config.head().folds());
        List<ImageRef> headTraining = HeadTrainingImages.choose(listing.dataset(), config.head().trainFraction(),
                config.head().folds(), config.seed(), listing.root());
        String fingerprint = DataFingerprint.of(listing, hadoop);
        console.printf(Locale.ROOT, "data: %s — classes %s, %d training, %d evaluation, %d segmented images (fingerprint %s)%n",
                listing.root(), listing.classes(), listing.dataset().size(), listing.evaluation().size(),
                listing.segmented().size(), fingerprint.substring(0, 12));
        if (!listing.problems().isEmpty()) {
            console.printf(Locale.ROOT, "data: %d note(s) on files not used: ignored endings, empty class folders, unpaired"
                    + " segmented files (listed in run.json)%n", listing.problems().size());
        }
        if (headTraining.size() < listing.dataset().size()) {
            console.printf(Locale.ROOT, "heads: trained on %d of the %d training images (head.train-fraction %s of each class)%n",
                    headTraining.size(), listing.dataset().size(), config.head().trainFraction());
        }
        timings.put("data", meter.end("data", t));
        return new Inputs(listing, positive, fingerprint, headTraining);
    }

    /**
     * The run folder to write: with {@code runs.resume}, the newest unfinished run under the root that is a run of
     * the same identity, with the candidates its checkpoints hold; otherwise a new one.
     */
    private Target openRun(RunIdentity identity, List<Candidate> plan, Configuration hadoop) {
        if (config.runs().resume()) {
            for (RunFolder unfinished : RunFolder.unfinished(config.runs().root(), hadoop)) {
                RunIdentity theirs = Checkpoints.readKey(unfinished, hadoop);
                if (theirs != null && theirs.key().equals(identity.key())) {
                    Checkpoints checkpoints = Checkpoints.of(unfinished, hadoop);
                    Map<String, Checkpoint> done = checkpoints.read(plan, console);
                    console.printf(Locale.ROOT, "resuming %s: %d of %d candidates checkpointed, computing %d%n",
                            unfinished.path(), done.size(), plan.size(), plan.size() - done.size());
                    runFolder = unfinished;
                    return new Target(unfinished, checkpoints, identity, done);
                }
            }
            console.println("resume: no unfinished run of these settings, data and backbone under " + config.runs().root()
                    + ": starting a new one");
        }
        RunFolder run = RunFolder.create(config.runs().root(), config.name(), hadoop);
        Checkpoints checkpoints = Checkpoints.of(run, hadoop);
        try {
            checkpoints.writeKey(identity);
        } catch (RuntimeException | Error e) {
            run.deleteQuietly(); // without its key no resume finds it: an empty folder would only be in the way
            throw e;
        }
        runFolder = run;
        console.println("run: " + run.path());
        return new Target(run, checkpoints, identity, Map.of());
    }

    /** The segmented set, when a criterion of the plan scores filters with masks (null otherwise). */
    private SegmentedSet segmented(List<Candidate> plan, DataListing listing, Configuration hadoop, List<String> problems) {
        boolean needsMasks = plan.stream().anyMatch(c -> Criterion.isOne(c.criterion())
                && Criterion.parse(c.criterion()).needsSegmentedImages());
        if (!needsMasks) {
            return null;
        }
        if (listing.segmented(config.data().targetClass()).isEmpty()) {
            throw new FtlError(listing.root() + "/segmented: no images of the target class " + config.data().targetClass()
                    + " with masks: the iou and apoz criteria need them (or leave them out of prune.criteria)");
        }
        SegmentedLoader.Loaded loaded = org.ftl.prune.Criteria.segmented(config.criteriaRequest(), listing, hadoop);
        problems.addAll(loaded.problems());
        return loaded.set();
    }

    private Deployment deployment(DataListing listing) {
        return new Deployment(config.input().shape(), config.input().preprocessing(), config.features().mode(),
                listing.classes().size(), config.features().channelMultiple());
    }

    private HeadJob headJob(DataListing listing, int positive) {
        return new HeadJob(config.input().shape(), config.input().preprocessing(), config.features().mode(),
                config.head(),
                config.cost(),
                listing.classes(), positive, config.seed());
    }

    /**
     * Stages 2b–4 for the pruned candidates, round by round. Each head task checkpoints its candidate as soon as
     * it is measured; the driver writes any checkpoint an executor could not (runs.root not visible there).
     */
    private Map<String, CandidateResult> featuresAndHeads(JavaSparkContext sc, List<Candidate> missing,
                                                          JavaRDD<VariantRecord> variants, Map<String, VariantRecord> variantInfo,
                                                          JavaRDD<DecodedBlock> decoded, ConvChain backbone,
                                                          Deployment deployment, HeadJob job, Checkpoints checkpoints) {
        Map<String, CandidateResult> results = new HashMap<>();
        List<List<String>> rounds = rounds(missing, variantInfo, config.sweep().variantGroupMb() * 1024L * 1024L);
        // the driver's Hadoop settings (spark.hadoop.*), so executors reach runs.root as the driver does
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        // the baseline's feature graph, which every candidate's latency is measured against (built here: a resumed
        // run may not prune the baseline again)
        Broadcast<byte[]> baseline = sc.broadcast(deployment.featureGraph(Folding.fold(backbone)));
        for (int r = 0; r < rounds.size(); r++) {
            List<String> ids = rounds.get(r);
            if (rounds.size() > 1) {
                console.printf(Locale.ROOT, "round %d/%d: %d variants%n", r + 1, rounds.size(), ids.size());
            }
            Set<String> wanted = Set.copyOf(ids);
            sc.clearJobGroup();
            Map<String, VariantRecord> graphs = variants.filter(v -> v.ok() && wanted.contains(v.candidate().id()))
                    .map(VariantRecord::featuresOnly).collect().stream()
                    .collect(Collectors.toMap(v -> v.candidate().id(), v -> v));
            Broadcast<Map<String, VariantRecord>> round = sc.broadcast(graphs);
            // no job runs until the heads collect: the features are that job's map stage, labelled "features"
            JavaPairRDD<String, Iterable<FeatureBlock>> features = FeatureStage.extract(decoded, round, ids,
                    config.input().shape(), config.features().batchSize()).groupByKey(Math.max(1, ids.size()));
            sc.setJobGroup("heads", "features of every variant over every image partition, then heads, test metrics"
                    + " and cost per candidate", false);
            HashMap<String, VariantRecord> roundInfo = new HashMap<>();
            ids.forEach(id -> roundInfo.put(id, variantInfo.get(id)));
            JavaRDD<CandidateResult> measured = checkpointed(HeadStage.evaluate(features, round, baseline, job),
                    checkpoints.dir(), roundInfo, hadoop);
            for (CandidateResult c : measured.collect()) {
                results.put(c.candidate(), c);
                if (!checkpoints.has(c.candidate()) && !Errors.outOfMemory(c.error())) {
                    checkpoints.write(Checkpoint.of(variantInfo.get(c.candidate()), c));
                }
            }
            round.destroy();
        }
        baseline.destroy();
        hadoop.destroy();
        return results;
    }

    /**
     * Each head task writes its candidate's checkpoint when it is done (through Hadoop: runs.root may be HDFS); one
     * whose task ran out of memory is left for a resumed run to compute again.
     */
    private static JavaRDD<CandidateResult> checkpointed(JavaRDD<CandidateResult> results, String dir,
                                                         Map<String, VariantRecord> variants,
                                                         Broadcast<SerializableConfiguration> hadoop) {
        return results.map(r -> {
            if (!Errors.outOfMemory(r.error())) {
                Checkpoints.tryWrite(dir, Checkpoint.of(variants.get(r.candidate()), r), hadoop.value().value());
            }
            return r;
        });
    }

    /** The winner's variant: from this sweep's prune stage, or pruned again if a checkpoint held it. */
    private VariantRecord winnerVariant(JavaSparkContext sc, List<Candidate> plan, String winnerId,
                                        JavaRDD<VariantRecord> variants, Map<String, VariantRecord> variantInfo,
                                        Broadcast<byte[]> backboneBytes, Broadcast<SegmentedSet> segmentedSet,
                                        Deployment deployment) {
        List<VariantRecord> here = variants.filter(v -> v.candidate().id().equals(winnerId)).collect();
        if (!here.isEmpty()) {
            return here.get(0);
        }
        Candidate c = plan.stream().filter(p -> p.id().equals(winnerId)).findFirst().orElseThrow();
        VariantRecord v = PruneStage.run(sc, List.of(c), 1, backboneBytes, segmentedSet, deployment, Criteria.spec(config.criteriaRequest()))
                .first();
        if (!v.ok() || v.params() != variantInfo.get(winnerId).params()) {
            throw new IllegalStateException("pruning the checkpointed winner " + winnerId + " again gave another network: "
                    + (v.ok() ? v.params() + " parameters, not " + variantInfo.get(winnerId).params() : v.error()));
        }
        return v;
    }

    /**
     * Adds the finished run to RUNS/history.csv with its regression verdict, then applies retention. The
     * history is written after {@code _SUCCESS}: only finished runs go in.
     */
    private History.Verdict recordHistory(RunFolder run, Row winner, String fingerprint, int candidates, long failed,
                                          int resumed, Configuration hadoop) {
        History history = History.read(config.runs().root(), hadoop);
        double f1 = winner.isNullAt(winner.fieldIndex("f1")) ? Double.NaN : (double) winner.getAs("f1");
        History.Verdict verdict = history.compare(config.name(), fingerprint, f1, config.runs().regressionTolerance());
        Map<String, String> row = new LinkedHashMap<>();
        row.put("finished", java.time.Instant.now().toString());
        row.put("run", run.id());
        row.put("config", config.name());
        row.put("data_fingerprint", fingerprint);
        row.put("winner", winner.getAs("candidate"));
        for (org.ftl.decide.Metric m : org.ftl.decide.Metric.HISTORY) {
            int i = winner.fieldIndex(m.column());
            row.put(m.column(), winner.isNullAt(i) ? "" : String.valueOf(winner.get(i)));
        }
        row.put("candidates", String.valueOf(candidates));
        row.put("failed", String.valueOf(failed));
        row.put("resumed", String.valueOf(resumed));
        history.append(row, verdict);
        history.write();
        console.println("history: " + history.path() + (verdict.previousRun().isEmpty() ? " (first run of " + config.name()
                + " on this data)" : String.format(Locale.ROOT, " (previous run on this data: %s, f1 %.4f)",
                verdict.previousRun(), verdict.previousF1())));
        try {
            Retention.apply(config.runs().root(), hadoop, config.name(), config.runs().keep(), run.id(),
                    history.bestRuns(config.name()), console);
        } catch (java.io.UncheckedIOException e) {
            // the run is finished and recorded: a folder that could not be deleted is a line, not a failed sweep
            console.println("retention: stopped: " + e.getMessage());
        }
        return verdict;
    }

    private static double baselineF1(Dataset<Row> ranked) {
        Row b = ranked.filter(col("criterion").equalTo(CandidatePlan.BASELINE)).first();
        return b.isNullAt(b.fieldIndex("f1")) ? Double.NaN : (double) b.getAs("f1");
    }

    /**
     * Training images first (those the heads train on: {@code head.train-fraction} of each class), then evaluation;
     * class labels by the dataset's class order.
     */
    private static List<ImageRow> imageRows(List<ImageRef> headTraining, DataListing listing) {
        List<ImageRow> rows = new ArrayList<>();
        for (ImageRef r : headTraining) {
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

    /**
     * report.html from what was just written; a report is not worth losing a sweep, so a failure is one line, unless
     * the disk is full or not writable: then the run folder cannot be finished either.
     */
    static boolean writeReport(RunFolder run, Configuration hadoop, PrintStream console) {
        try {
            Report.write(run, hadoop);
            return true;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            if (OutOfResource.ranOut(e).isPresent()) {
                throw e; // not the report's fault: the disk the whole run is on, which _SUCCESS must not follow
            }
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            console.println("report.html not written (rebuild it with ftl report " + run.path() + "): "
                    + why.replaceAll("\\s*\\R\\s*", " "));
            return false;
        }
    }

    /**
     * The one line for a sweep that ran out of a resource (null when that is not why it failed): what ran out and
     * where, the setting to change, and what is kept — the run folder, without _SUCCESS, with its checkpoints.
     */
    private OutOfResource outOfResource(Throwable failure, Configuration hadoop) {
        java.util.Optional<OutOfResource.Kind> kind = OutOfResource.ranOut(failure);
        if (kind.isEmpty()) {
            return null;
        }
        OutOfResource found = OutOfResource.find(failure);
        String path = found == null ? null : found.path();
        String line;
        if (!kind.get().disk()) {
            line = OutOfResource.memory(failure, "the " + stage + " stage", relief(stage)).getMessage();
        } else if (path != null) {
            line = found.getMessage() + ": " + diskAdvice(kind.get(), path, hadoop);
        } else if (!OutOfResource.inSparkJob(failure)) {
            line = OutOfResource.describe(failure) + " during the " + stage + " stage";
        } else {
            // no write of ours names a path: Spark's own files (shuffle, spill, broadcast blocks) filled the disk
            String local = SparkSessions.localDir();
            line = kind.get().words() + " in a Spark task during the " + stage + " stage (" + OutOfResource.reason(failure)
                    + "): Spark keeps its shuffle and spill files in spark.local.dir (" + local + "): free space there or "
                    + "set it to a disk with room (--set 'spark.conf.\"spark.local.dir\"=DIR')";
        }
        return OutOfResource.of(kind.get(), path, line + kept(hadoop), failure);
    }

    /** What changes the setting behind a path this sweep writes: runs.root's, backbone.cache's, or the path's own. */
    private String diskAdvice(OutOfResource.Kind kind, String path, Configuration hadoop) {
        String setting = under(path, config.runs().root(), hadoop) ? "runs.root (--runs, FTL_RUNS)"
                : under(path, config.backbone().cache(), hadoop) ? "backbone.cache" : null;
        if (kind == OutOfResource.Kind.NO_PERMISSION) {
            return "make it writable for user " + System.getProperty("user.name")
                    + (setting == null ? "" : " or set " + setting + " to a folder you can write");
        }
        return "free space on that disk" + (setting == null ? "" : " or set " + setting + " to one with room");
    }

    private static boolean under(String path, String root, Configuration hadoop) {
        try {
            String p = DataFiles.qualified(path, hadoop);
            String r = DataFiles.qualified(root, hadoop).replaceFirst("/+$", "");
            return p.equals(r) || p.startsWith(r + "/");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Settings that make a stage need less memory, as this sweep runs them. */
    private String relief(String stage) {
        return switch (stage) {
            case "backbone" -> "lower backbone.train.batch-size (" + config.backbone().train().batchSize() + ")";
            case "decode" -> "raise sweep.image-partitions (" + config.sweep().imagePartitions()
                    + ") so each task decodes fewer images";
            case "features+heads" -> "lower features.batch-size (" + config.features().batchSize()
                    + ") or sweep.variant-group-mb (" + config.sweep().variantGroupMb() + ")";
            default -> null;
        };
    }

    /** What of the run is safe: nothing was started, the run's checkpoints for a resume, or the finished run. */
    private String kept(Configuration hadoop) {
        if (runFolder == null) {
            return "; no run folder was made";
        }
        if (finished) {
            return "; " + runFolder.path() + " itself is finished (its _SUCCESS is written): only " + History.FILE
                    + " and retention were not updated";
        }
        String count;
        try {
            count = String.valueOf(Checkpoints.count(runFolder.path(), hadoop));
        } catch (RuntimeException e) {
            count = "its";
        }
        return "; " + runFolder.path() + " keeps " + count + " checkpointed candidate(s) and has no _SUCCESS: ftl sweep "
                + "--resume (runs.resume = true) finishes it";
    }

    /** A line about candidates whose own task ran out of memory (failed rows, not checkpointed), if there are any. */
    private static java.util.Optional<String> outOfMemoryRows(Dataset<Row> ranked) {
        List<Row> rows = ranked.filter(col("error").startsWith(OutOfMemoryError.class.getSimpleName()))
                .select("candidate", "error").collectAsList();
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "%d candidate(s) ran out of memory in their own task "
                        + "(the first: %s: %s): give the JVM more (FTL_MEMORY=…, or FTL_JAVA_OPTS=-Xmx… "
                        + "-Dorg.bytedeco.javacpp.maxphysicalbytes=…) and sweep again", rows.size(), rows.get(0).getString(0),
                rows.get(0).getString(1)));
    }
}
