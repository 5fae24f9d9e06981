package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.prune.PruneSettings;
import org.ftl.data.DataFiles;
import org.ftl.data.DataListing;
import org.ftl.prune.SegmentedLoader;
import org.ftl.prune.Candidate;
import org.ftl.prune.Criteria;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.FilterCriterion;
import org.ftl.prune.LayerReport;
import org.ftl.prune.Pruner;
import org.ftl.prune.PrunedVariant;
import org.ftl.prune.SegmentedSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl prune}: one pruned variant, with a per-layer table of what was kept. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Build one pruned variant of the backbone for a leave factor and save it as a DL4J model.",
                "Prints per conv layer: filters kept/total, the mean score of kept and dropped filters, parameters before/after;",
                "then the spread of its scores: min, median, max, how many distinct, and how many filters tie at the keep cut."})
final class PruneCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    BackboneOption backbone;

    @Mixin
    DataOption data;

    @Option(names = "--factor", required = true, paramLabel = "F",
            description = {"Leave factor in (0, 1]: each conv layer keeps max(1, round(n·F)) of its n filters, or as "
                    + "prune.keep-count says.", "With prune.factor-steps = accumulated, a factor of the criterion's grid "
                    + "(prune.factors for iou, prune.comparison-factors for the others) is taken as that grid computes it "
                    + "(0.1 as 0.09999999999999999)."})
    double factor;

    @Option(names = "--criterion", paramLabel = "NAME", defaultValue = "iou",
            description = "iou (FTL, default), l1, random or apoz.")
    String criterion;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the variant (.zip; any Hadoop path).")
    String out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(factor > 0 && factor <= 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--factor must be in (0, 1]: " + factor);
        }
        if (!PruneSettings.CRITERIA.contains(criterion)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--criterion must be one of " + String.join(", ", PruneSettings.CRITERIA) + ": " + criterion);
        }
        List<SettingOverride> o = new ArrayList<>();
        backbone.addTo(o);
        data.addTo(o);
        FtlConfig c = config.load(o);
        PrintWriter err = spec.commandLine().getErr();
        Configuration hadoop = c.spark().hadoopConfiguration();
        DataListing listing = DataListing.scan(c.data().root(), c.data().imageExtensions(), hadoop);
        FilterCriterion crit = Criteria.create(criterion, c.criteriaRequest());
        SegmentedSet segmented = null;
        if (crit.needsActivations()) {
            if (listing.segmented(c.data().targetClass()).isEmpty()) {
                throw new FtlError(listing.root() + ": no segmented images of the target class " + c.data().targetClass()
                        + " (segmented/images/" + c.data().targetClass() + "/ with masks in segmented/masks/)");
            }
            SegmentedLoader.Loaded loaded = Criteria.segmented(c.criteriaRequest(), listing, hadoop);
            segmented = loaded.set();
            listing.problems().forEach(p -> err.println("warning: " + p));
            loaded.problems().forEach(p -> err.println("warning: " + p));
        }
        // after the masks: a mask that cannot be read as set stops before a backbone is trained
        ConvChain chain = Backbones.resolve(c.backboneRequest(), listing, hadoop, err::println);
        double f = asTheGridHasIt(factor, c.prune().factorsOf(criterion), c.prune().factorSteps());
        long t0 = System.nanoTime();
        PrunedVariant v = new Pruner(chain, crit, segmented, c.prune().keepRule(), c.prune().magnitude()).prune(f);
        double secs = (System.nanoTime() - t0) / 1e9;
        DataFiles.write(out, v.chain().toBytes(), hadoop);
        print(v, chain, spec.commandLine().getOut());
        err.printf(Locale.ROOT, "pruned in %.2f s; written to %s%n", secs, out);
        return ExitCode.OK;
    }

    /**
     * The factor as the sweep would prune it: with accumulated grid values, the criterion's grid point of the same
     * name (0.1 is the grid's 0.09999999999999999); any other factor as given.
     */
    static double asTheGridHasIt(double factor, List<Double> grid, org.ftl.prune.LeaveFactors.Steps steps) {
        if (steps != org.ftl.prune.LeaveFactors.Steps.ACCUMULATED) {
            return factor;
        }
        String name = Candidate.factorName(factor);
        return grid.stream().filter(g -> Candidate.factorName(g).equals(name)).findFirst().orElse(factor);
    }

    static void print(PrunedVariant v, ConvChain backbone, PrintWriter out) {
        String name = Candidate.factorName(v.leaveFactor());
        out.printf(Locale.ROOT, "%s, leave factor %s%s%n", v.criterion(), name,
                new java.math.BigDecimal(name).doubleValue() == v.leaveFactor() ? "" : " (" + v.leaveFactor() + ")");
        out.printf(Locale.ROOT, "%-16s %9s %11s %11s %13s %13s%n", "layer", "kept", "mean kept", "mean dropped",
                "params before", "params after");
        for (LayerReport l : v.layers()) {
            out.printf(Locale.ROOT, "%-16s %9s %11.4f %11s %,13d %,13d%n", l.layer(), l.kept() + "/" + l.total(),
                    l.meanScoreKept(), Double.isNaN(l.meanScoreDropped()) ? "-" : String.format(Locale.ROOT, "%.4f", l.meanScoreDropped()),
                    l.paramsBefore(), l.paramsAfter());
        }
        out.printf(Locale.ROOT, "score spread: min / median / max, distinct scores, filters tied at the cut (kept of them)%n");
        for (LayerReport l : v.layers()) {
            org.ftl.prune.ScoreSpread sp = l.spread();
            out.printf(Locale.ROOT, "%-16s %11.4g %11.4g %11.4g %5d/%-5d distinct %5d tied (%d kept)%n", l.layer(), sp.min(),
                    sp.median(), sp.max(), sp.distinct(), l.total(), sp.tiedAtCut(), sp.tiedKept());
        }
        out.printf(Locale.ROOT, "filters %d/%d (%.1f %%), parameters %,d/%,d (%.2f %%)%n", v.filtersLeft(), v.filtersTotal(),
                100.0 * v.filtersLeft() / v.filtersTotal(), v.parameters(), backbone.parameters(),
                100.0 * v.parameters() / backbone.parameters());
    }
}
