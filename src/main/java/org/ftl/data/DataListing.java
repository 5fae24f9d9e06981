package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a data root holds: the training and evaluation images by class, and the segmented pairs. Only
 * files with an image extension are listed; the order is by class, then file name, so it is the same on
 * every machine.
 */
public record DataListing(String root, List<String> classes, List<ImageRef> dataset, List<ImageRef> evaluation,
                          List<SegmentedPair> segmented, List<String> problems) {

    public static DataListing scan(String path, List<String> extensions, Configuration conf) {
        String root = DataFiles.qualified(path, conf);
        String datasetDir = DataFiles.child(root, DataLayout.DATASET);
        if (!DataFiles.isDirectory(root, conf)) {
            throw new FtlError(path + ": no such data folder (set data.root, FTL_DATA or --data)");
        }
        if (!DataFiles.isDirectory(datasetDir, conf)) {
            throw new FtlError(datasetDir + ": no such folder: the data layout needs dataset/<Class>/ folders");
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> ignored = new java.util.TreeMap<>();
        List<String> classes = new ArrayList<>();
        List<ImageRef> dataset = images(datasetDir, ImageRef.Split.DATASET, extensions, conf, classes, ignored, problems);
        if (classes.size() < 2) {
            throw new FtlError(datasetDir + ": needs at least two class folders with images, found "
                    + (classes.isEmpty() ? "none" : String.join(", ", classes)));
        }
        String evaluationDir = DataFiles.child(root, DataLayout.EVALUATION);
        List<ImageRef> evaluation = new ArrayList<>();
        if (DataFiles.isDirectory(evaluationDir, conf)) {
            List<String> evalClasses = new ArrayList<>();
            evaluation = images(evaluationDir, ImageRef.Split.EVALUATION, extensions, conf, evalClasses, ignored, problems);
            for (String c : evalClasses) {
                if (!classes.contains(c)) {
                    throw new FtlError(DataFiles.child(evaluationDir, c) + ": class '" + c
                            + "' is not in dataset/ (" + String.join(", ", classes) + ")");
                }
            }
        }
        List<SegmentedPair> pairs = segmented(root, extensions, conf, problems);
        // files of other kinds are summed up by ending: a folder of photos with sidecar files is not 10 000 lines
        for (Map.Entry<String, List<String>> e : ignored.entrySet()) {
            List<String> files = e.getValue();
            problems.add(files.get(0) + (files.size() > 1 ? " and " + (files.size() - 1) + " more file(s)" : "")
                    + " ending in " + (e.getKey().isEmpty() ? "no extension" : "." + e.getKey())
                    + ": not in data.image-extensions (" + String.join(", ", extensions) + "); ignored");
        }
        return new DataListing(root, List.copyOf(classes), dataset, List.copyOf(evaluation), pairs, List.copyOf(problems));
    }

    /**
     * The images of each class folder under {@code dir}. Files with other endings are collected in
     * {@code ignored} by ending; a class folder without images is named in {@code problems} (it is no class).
     */
    private static List<ImageRef> images(String dir, ImageRef.Split split, List<String> extensions, Configuration conf,
                                         List<String> classesFound, Map<String, List<String>> ignored,
                                         List<String> problems) {
        List<ImageRef> out = new ArrayList<>();
        for (String classDir : DataFiles.folders(dir, conf)) {
            String className = DataFiles.name(classDir);
            int before = out.size();
            for (String f : DataFiles.files(classDir, conf)) {
                if (extensions.contains(DataFiles.extension(f))) {
                    out.add(new ImageRef(f, className, split));
                } else {
                    ignored.computeIfAbsent(DataFiles.extension(f), k -> new ArrayList<>()).add(f);
                }
            }
            if (out.size() > before) {
                classesFound.add(className);
            } else {
                problems.add(classDir + ": no images (" + String.join(", ", extensions) + "); not a class");
            }
        }
        return out;
    }

    /**
     * Stops with a message naming the folder when a class of dataset/ has fewer images than the head's
     * cross-validation folds (each fold needs one of every class), before any work is done.
     */
    public void requireImagesPerClass(int folds) {
        for (String c : classes) {
            long n = dataset.stream().filter(r -> r.className().equals(c)).count();
            if (n < folds) {
                throw new FtlError(DataFiles.child(DataFiles.child(root, DataLayout.DATASET), c) + ": " + n + " image"
                        + (n == 1 ? "" : "s") + ", fewer than the " + folds + " folds of the head's cross-validation"
                        + " (needs at least one per fold; add images or lower ftl.head.folds)");
            }
        }
    }

    /**
     * Images and masks paired by file name. A segmented image without a mask, or a mask without an image,
     * is left out and named in {@code problems}: one unpaired file must not stop a sweep.
     */
    private static List<SegmentedPair> segmented(String root, List<String> extensions, Configuration conf,
                                                 List<String> problems) {
        String imagesDir = DataFiles.child(root, DataLayout.SEGMENTED_IMAGES);
        String masksDir = DataFiles.child(root, DataLayout.SEGMENTED_MASKS);
        List<SegmentedPair> out = new ArrayList<>();
        if (!DataFiles.isDirectory(imagesDir, conf)) {
            return out;
        }
        for (String classDir : DataFiles.folders(imagesDir, conf)) {
            String className = DataFiles.name(classDir);
            String maskClassDir = DataFiles.child(masksDir, className);
            Map<String, String> masks = new java.util.TreeMap<>();
            if (DataFiles.isDirectory(maskClassDir, conf)) {
                for (String m : DataFiles.files(maskClassDir, conf)) {
                    if (extensions.contains(DataFiles.extension(m))) {
                        masks.put(DataFiles.baseName(m), m);
                    }
                }
            }
            for (String img : DataFiles.files(classDir, conf)) {
                if (!extensions.contains(DataFiles.extension(img))) {
                    continue;
                }
                String mask = masks.remove(DataFiles.baseName(img));
                if (mask == null) {
                    problems.add(img + ": no mask named " + DataFiles.baseName(img) + ".* in " + maskClassDir + "; left out");
                } else {
                    out.add(new SegmentedPair(img, mask, className));
                }
            }
            for (String extra : masks.values()) {
                problems.add(extra + ": a mask without an image in " + classDir + "; left out");
            }
        }
        return List.copyOf(out);
    }

    /** Segmented pairs of one class. */
    public List<SegmentedPair> segmented(String className) {
        return segmented.stream().filter(p -> p.className().equals(className)).toList();
    }
}
