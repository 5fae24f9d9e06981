package org.ftl.sweep;

import org.ftl.head.FeatureMatrix;
import org.ftl.head.LabelledFeatures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One candidate's feature blocks put back in image order and split into training and evaluation sets.
 * Sorting by the image index makes the result independent of how Spark partitioned and shuffled them.
 */
record CandidateFeatures(LabelledFeatures training, LabelledFeatures evaluation) {

    /** Where one image's features are: block and row within it. */
    private record Place(int index, FeatureBlock block, int row) {
        boolean evaluation() {
            return block.evaluation()[row];
        }
    }

    static CandidateFeatures of(Iterable<FeatureBlock> blocks, List<String> classes) {
        List<Place> places = new ArrayList<>();
        int d = 1;
        for (FeatureBlock b : blocks) {
            d = b.dimension();
            for (int i = 0; i < b.index().length; i++) {
                places.add(new Place(b.index()[i], b, i));
            }
        }
        places.sort(Comparator.comparingInt(Place::index));
        return new CandidateFeatures(labelled(places.stream().filter(p -> !p.evaluation()).toList(), d, classes),
                labelled(places.stream().filter(Place::evaluation).toList(), d, classes));
    }

    private static LabelledFeatures labelled(List<Place> places, int d, List<String> classes) {
        float[] values = new float[places.size() * d];
        int[] labels = new int[places.size()];
        for (int i = 0; i < places.size(); i++) {
            Place p = places.get(i);
            System.arraycopy(p.block().values(), p.row() * d, values, i * d, d);
            labels[i] = p.block().label()[p.row()];
        }
        return new LabelledFeatures(new FeatureMatrix(values, places.size(), d), labels, classes);
    }
}
