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
import org.ftl.data.DataFingerprint;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.prune.SegmentedLoader;
import org.ftl.decide.DecisionFunction;
import org.ftl.decide.MetricsColumns;
import org.ftl.head.HeadTrainingImages;
import org.ftl.prune.Candidate;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.Folding;
import org.ftl.prune.SegmentedSet;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.ftl.runs.History;
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

    /** The data stage's result: the data, the candidates planned, the segmented set (null if no criterion needs it). */
    private record Listed(Inputs inputs, List<Candidate> plan, SegmentedSet segmented, List<String> segmentedProblems) {
    }

    /**
     * The prune stage's result: the candidates it pruned ({@code missing}: not checkpointed), their variants as an RDD
     * and, for every candidate of the plan, its record without the model; the broadcasts a winner pruned again needs.
     */
    private record Pruned(List<Candidate> missing, JavaRDD<VariantRecord> variants, Map<String, VariantRecord> info,
                          Broadcast<byte[]> backbone, Broadcast<SegmentedSet> segmented, Deployment deployment) {
    }

    /** The decode stage's result: the image blocks, and every problem of the inputs (listing, masks, images). */
    private record Decoded(JavaRDD<DecodedBlock> blocks, List<String> problems) {
    }

    /** The ranked table, its winner (rank 1) and how many candidates failed. */
    record Ranked(Dataset<Row> table, Row winner, long failed) {
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
            // the failed job's other tasks may still be in native code: let them end before the caller exits the JVM
            try {
                SparkSessions.quiesce(sc.sc(), 60_000);
            } catch (RuntimeException stopped) { // a stopped context runs nothing; the sweep's own error is the news
                e.addSuppressed(stopped);
            }
            OutOfResource out = new SweepFailure(config, stage, runFolder, finished).explain(e, sc.hadoopConfiguration());
            if (out != null) {
                throw out;
            }
            throw e;
        } finally {
            sc.sc().removeSparkListener(progress);
        }
    }

    /**
     * The stages in order, each handing the next an immutable result: the data listed (with the plan and the
     * segmented set), the backbone, the run folder, the pruned variants, the decoded images, the measured
     * candidates, the ranked table; then the run is written and summed up.
     */
    private Result run(SparkSession spark, JavaSparkContext sc, DecisionFunction decision, StageMeter.Start start) {
        Configuration hadoop = sc.hadoopConfiguration();
        Listed listed = list(hadoop);
        ConvChain backbone = backbone(listed.inputs().listing(), hadoop);
        stage = "run folder";
        Target target = openRun(RunIdentity.of(config, listed.inputs().fingerprint(), backbone, listed.plan().size()),
                listed.plan(), hadoop);
        Pruned pruned = prune(sc, listed, backbone, target);
        Decoded decoded = decode(sc, listed);
        HeadJob job = headJob(listed.inputs().listing(), listed.inputs().positive());
        Map<String, CandidateResult> results = measure(sc, pruned, decoded, backbone, job, target);
        Ranked ranked = rank(spark, decision, listed.plan(), pruned, results);
        return write(sc, listed, target, pruned, decoded, job, results, ranked, start, hadoop);
    }

    /** The data stage: the layout listed and checked, the candidates planned, the segmented set read and checked. */
    private Listed list(Configuration hadoop) {
        stage = "data";
        Inputs inputs = listData(hadoop);
        // the masks are checked before a backbone is trained or a run folder made: a bad segmented set stops here
        List<Candidate> plan = CandidatePlan.of(config.prune());
        List<String> segmentedProblems = new ArrayList<>();
        SegmentedSet segmented = segmented(plan, inputs.listing(), hadoop, segmentedProblems);
        return new Listed(inputs, plan, segmented, List.copyOf(segmentedProblems));
    }

    private ConvChain backbone(DataListing listing, Configuration hadoop) {
        StageMeter.Start t = meter.begin();
        stage = "backbone";
        ConvChain backbone = Backbones.resolve(config.backboneRequest(), listing, hadoop, line -> console.println("  " + line));
        console.printf(Locale.ROOT, "backbone: %s, %d conv layers, %d filters, %,d parameters%n",
                config.backbone().source(), backbone.blocks().size(), backbone.totalFilters(), backbone.parameters());
        timings.put("backbone", meter.end("backbone", t));
        return backbone;
    }

    /** Stage 1: every candidate no checkpoint holds pruned on the executors; failed ones are checkpointed as rows. */
    private Pruned prune(JavaSparkContext sc, Listed listed, ConvChain backbone, Target target) {
        StageMeter.Start t = meter.begin();
        stage = "prune";
        List<Candidate> missing = listed.plan().stream().filter(c -> !target.done().containsKey(c.id())).toList();
        if (missing.isEmpty()) {
            console.println("prune: every candidate is checkpointed; only the winner is pruned again, for best/");
        } else {
            console.printf(Locale.ROOT, "prune: %d candidates (%s)%n", missing.size(), describe(missing));
        }
        Broadcast<byte[]> backboneBytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> segmentedSet = sc.broadcast(listed.segmented());
        sc.setJobGroup("prune", "build each candidate's pruned variant", false);
        Deployment deployment = deployment(listed.inputs().listing());
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
        return new Pruned(missing, variants, variantInfo, backboneBytes, segmentedSet, deployment);
    }

    /** Stage 2a: the image set, decoded once per partition; what could not be read is a problem of the run. */
    private Decoded decode(JavaSparkContext sc, Listed listed) {
        StageMeter.Start t = meter.begin();
        stage = "decode";
        DataListing listing = listed.inputs().listing();
        sc.setJobGroup("decode", "decode and resize the image set", false);
        JavaRDD<DecodedBlock> decoded = ImageStage.decode(sc, imageRows(listed.inputs().headTraining(), listing),
                config.sweep().imagePartitions(), config.input().shape());
        List<String> problems = new ArrayList<>(listing.problems());
        problems.addAll(listed.segmentedProblems());
        List<String> unreadable = decoded.flatMap(b -> b.problems().iterator()).collect();
        sc.clearJobGroup();
        problems.addAll(unreadable);
        if (!listed.segmentedProblems().isEmpty()) {
            console.printf(Locale.ROOT, "segmented set: %d file(s) left out or repaired (listed in run.json)%n",
                    listed.segmentedProblems().size());
        }
        if (!unreadable.isEmpty()) {
            console.printf(Locale.ROOT, "images: %d could not be read and were left out (listed in run.json)%n", unreadable.size());
        }
        timings.put("decode", meter.end("decode", t));
        return new Decoded(decoded, List.copyOf(problems));
    }

    /** Stages 2b–4: features, heads and cost, in rounds of bounded size; with the checkpointed candidates' results. */
    private Map<String, CandidateResult> measure(JavaSparkContext sc, Pruned pruned, Decoded decoded, ConvChain backbone,
                                                 HeadJob job, Target target) {
        StageMeter.Start t = meter.begin();
        stage = "features+heads";
        Map<String, CandidateResult> results = featuresAndHeads(sc, pruned.missing(), pruned.variants(), pruned.info(),
                decoded.blocks(), backbone, pruned.deployment(), job, target.checkpoints());
        target.done().values().forEach(cp -> {
            CandidateResult r = cp.result();
            if (r != null) {
                results.put(cp.candidate(), r);
            }
        });
        timings.put("features+heads", meter.end("features+heads", t));
        sc.clearJobGroup(); // the driver's own jobs below are not a sweep stage
        return results;
    }

    /** The driver's part: one table, ranked by the decision function; it stops when no candidate can be ranked. */
    private Ranked rank(SparkSession spark, DecisionFunction decision, List<Candidate> plan, Pruned pruned,
                        Map<String, CandidateResult> results) {
        StageMeter.Start t = meter.begin();
        stage = "rank";
        Dataset<Row> metrics = spark.createDataFrame(MetricsTable.rows(plan, pruned.info(), results), MetricsColumns.all());
        Dataset<Row> ranked = decision.rank(metrics).cache();
        List<Row> top = ranked.filter(col("rank").equalTo(1)).collectAsList();
        if (top.isEmpty()) {
            List<Row> failures = ranked.filter(col("status").notEqual("ok")).limit(1).collectAsList();
            throw new FtlError("no candidate could be ranked: every one failed or missed the constraints "
                    + config.decision().constraints() + (failures.isEmpty() ? "" : " (the first failure: "
                    + failures.get(0).getAs("candidate") + ": " + failures.get(0).getAs("error") + ")"));
        }
        long failed = ranked.filter(col("status").notEqual("ok")).count();
        timings.put("rank", meter.end("rank", t));
        return new Ranked(ranked, top.get(0), failed);
    }

    /**
     * The run written: metrics and best/ (the winner pruned again when a checkpoint held it), run.json, report.html,
     * _SUCCESS; then the checkpoints and the Spark data go, history and retention follow, and the summary is printed.
     */
    private Result write(JavaSparkContext sc, Listed listed, Target target, Pruned pruned, Decoded decoded, HeadJob job,
                         Map<String, CandidateResult> results, Ranked ranked, StageMeter.Start start, Configuration hadoop) {
        StageMeter.Start t = meter.begin();
        stage = "write";
        RunFolder run = target.run();
        DataListing listing = listed.inputs().listing();
        RunWriter writer = new RunWriter(config, console);
        String winnerId = ranked.winner().getAs("candidate");
        VariantRecord winnerVariant = winnerVariant(sc, listed.plan(), winnerId, pruned);
        writer.results(run, ranked, winnerVariant, results.get(winnerId), listing.classes(), job, hadoop);
        timings.put("write", meter.end("write", t));
        timings.put("total", meter.end("total", start));
        Map<String, Double> sparkStages = progress.stageSeconds();
        run.write("run.json", RunRecord.of(config.name(), config.render(), run, listed.inputs().fingerprint(), listing,
                listed.plan().size(), ranked.failed(), decoded.problems(), timings, sparkStages, meter.stages(), winnerId,
                target.identity() == null ? null : target.identity().key(), target.done().size()));
        stage = "report";
        boolean reported = RunWriter.report(run, hadoop, console);
        stage = "write";
        run.finish();
        finished = true;
        stage = "history";
        target.checkpoints().delete(); // metrics.csv and best/ hold everything now
        pruned.variants().unpersist(false);
        decoded.blocks().unpersist(false);
        ExecutorCache.forget(pruned.backbone().id()); // its networks and pruners: every stage is done
        pruned.backbone().destroy();
        pruned.segmented().destroy();

        History.Verdict verdict = writer.history(run, ranked.winner(), listed.inputs().fingerprint(), listed.plan().size(),
                ranked.failed(), target.done().size(), hadoop);
        SweepSummary.print(new PrintWriter(console, true), ranked, config.decision().top(), timings, run, reported, verdict,
                config.runs().regressionTolerance());
        List<MetricsRow> rows = MetricsCsv.parse(run.read("metrics.csv"));
        MetricsRow winnerRow = rows.stream().filter(r -> r.candidate().equals(winnerId)).findFirst().orElseThrow();
        return new Result(run, rows, winnerRow, ranked.failed(), verdict.regression(), timings, sparkStages, meter.stages());
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
        ExecutorCache.forget(baseline.id()); // every head task has been collected
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
    private VariantRecord winnerVariant(JavaSparkContext sc, List<Candidate> plan, String winnerId, Pruned pruned) {
        Map<String, VariantRecord> variantInfo = pruned.info();
        List<VariantRecord> here = pruned.variants().filter(v -> v.candidate().id().equals(winnerId)).collect();
        if (!here.isEmpty()) {
            return here.get(0);
        }
        Candidate c = plan.stream().filter(p -> p.id().equals(winnerId)).findFirst().orElseThrow();
        VariantRecord v = PruneStage.run(sc, List.of(c), 1, pruned.backbone(), pruned.segmented(), pruned.deployment(),
                        Criteria.spec(config.criteriaRequest()))
                .first();
        if (!v.ok() || v.params() != variantInfo.get(winnerId).params()) {
            throw new IllegalStateException("pruning the checkpointed winner " + winnerId + " again gave another network: "
                    + (v.ok() ? v.params() + " parameters, not " + variantInfo.get(winnerId).params() : v.error()));
        }
        return v;
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
}
