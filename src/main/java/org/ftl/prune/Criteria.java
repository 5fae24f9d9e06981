package org.ftl.prune;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.data.DataSettings;
import org.ftl.data.InputSettings;
import org.ftl.data.DataFiles;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.data.ImageTensors;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.data.Images;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The criterion settings of a configuration, and the segmented set they score on. */
public final class Criteria {
    private Criteria() {
    }

    /** The settings choosing and scoring filters read: the prune section, the target class and mask rule, the input, the seed. */
    public record Request(PruneSettings prune, DataSettings data, InputSettings input, long seed) {
    }

    public static CriterionSpec spec(Request config) {
        PruneSettings p = config.prune();
        return new CriterionSpec(config.data().targetClass(), p.allClasses(), p.binarization(), (float) p.threshold(),
                p.maskResize(), config.seed(), p.keepRule(), p.topFraction(), p.coverage(), p.score(), p.magnitudeWeight(), p.magnitude());
    }

    public static FilterCriterion create(String name, Request config) {
        return spec(config).create(name);
    }

    /**
     * The segmented set as the settings score on: segmented/ read with the scoring preprocessing, mask rule and
     * resize, and for {@code prune.iou.score = contrastive} or {@code selectivity} up to {@code background-count} images of dataset/'s other
     * classes (sorted, then shuffled with the seed) with empty masks. The sweep, {@code ftl prune} and {@code ftl
     * export} all load it here, so a candidate is pruned the same way by each.
     */
    public static SegmentedLoader.Loaded segmented(Request config, DataListing listing, Configuration hadoop) {
        PruneSettings p = config.prune();
        InputShape shape = p.scoringShape(config.input().shape());
        Preprocessing pre = p.scoringPreprocessing(config.input().preprocessing());
        SegmentedLoader.Loaded loaded = SegmentedLoader.load(listing.segmented(), config.data().targetClass(), shape, pre,
                config.data().maskObject(), p.maskResize(), hadoop);
        if (!p.usesBackground()) {
            return loaded;
        }
        List<ImageRef> others = new ArrayList<>(listing.dataset().stream()
                .filter(r -> !r.className().equals(config.data().targetClass())).toList());
        if (others.isEmpty()) {
            throw new FtlError(listing.root() + "/dataset: no image of a class other than " + config.data().targetClass()
                    + ": ftl.prune.iou.score = " + p.score().configName() + " compares against them");
        }
        others.sort(Comparator.comparing(ImageRef::path));
        Collections.shuffle(others, new Random(config.seed()));
        List<ImageRef> chosen = others.subList(0, Math.min(p.backgroundCount(), others.size()));
        int per = ImageTensors.length(shape);
        float[] values = new float[per * chosen.size()];
        List<String> classes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            ImageRef r = chosen.get(i);
            ImageTensors.write(Images.decode(DataFiles.read(r.path(), hadoop), r.path()), shape, pre, values, i * per);
            classes.add(r.className());
            names.add(r.name());
        }
        return new SegmentedLoader.Loaded(loaded.set().withoutObject(values, classes, names), loaded.problems());
    }
}
