package org.ftl.data.synth;

import org.ftl.FtlError;
import org.ftl.data.DataLayout;
import org.ftl.data.Images;
import org.ftl.data.StagedFolder;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Writes a whole synthetic data layout (training, evaluation and segmented sets) for one seed: the crack data set
 * or the broad pretraining task ({@link SynthSettings#mode()}).
 *
 * <p>Images are made in parallel on every core, each from its own (seed, split, class, index), so the
 * layout is byte-identical for a seed however many threads ran. It is written into a staging sibling and
 * moved into place only when complete ({@link StagedFolder}).
 */
public final class SynthLayoutWriter {
    /** The top-level entries of a data layout: the only ones an existing folder may hold to be replaced. */
    static final Set<String> LAYOUT_ENTRIES = Set.of(DataLayout.DATASET, DataLayout.EVALUATION, "segmented");

    /**
     * One folder of the layout and how many images go into it: of the crack data set ({@code phenomenon} null,
     * {@code crack} says which class) or of one broad class.
     */
    public record Folder(Split split, String className, boolean crack, int count, Phenomenon phenomenon) {
        public Folder(Split split, String className, boolean crack, int count) {
            this(split, className, crack, count, null);
        }

        /** The folder's path under the layout root, e.g. {@code evaluation/Crack}. */
        public String path() {
            return switch (split) {
                case DATASET -> DataLayout.DATASET + "/" + className;
                case EVALUATION -> DataLayout.EVALUATION + "/" + className;
                case SEGMENTED -> DataLayout.SEGMENTED_IMAGES + "/" + className;
            };
        }

        /** Where the masks go: the segmented set's images have a mask of the same file name. */
        public String maskPath() {
            return split == Split.SEGMENTED ? DataLayout.SEGMENTED_MASKS + "/" + className : null;
        }
    }

    /** How many images of each class go where: the classes keep the same balance in both splits. */
    public record Plan(List<Folder> folders) {
        public int total() {
            return folders.stream().mapToInt(Folder::count).sum();
        }

        public static Plan of(SynthSettings s) {
            return s.broad() ? broad(s) : crack(s);
        }

        private static Plan crack(SynthSettings s) {
            int evaluation = (int) Math.round(s.count() * s.evaluationFraction());
            int crack = (int) Math.round(s.count() * s.crackFraction());
            int evaluationCrack = Math.min(crack, (int) Math.round(evaluation * s.crackFraction()));
            int evaluationBackground = Math.min(s.count() - crack, evaluation - evaluationCrack);
            return new Plan(List.of(
                    new Folder(Split.DATASET, s.crackClass(), true, crack - evaluationCrack),
                    new Folder(Split.DATASET, s.backgroundClass(), false, s.count() - crack - evaluationBackground),
                    new Folder(Split.EVALUATION, s.crackClass(), true, evaluationCrack),
                    new Folder(Split.EVALUATION, s.backgroundClass(), false, evaluationBackground),
                    new Folder(Split.SEGMENTED, s.crackClass(), true, s.segmentedCount())));
        }

        /**
         * Every class the same count, split alike (no evaluation/ at a fraction of 0: pretraining holds out its own
         * validation split of dataset/); the segmented set only when crack is a class.
         */
        private static Plan broad(SynthSettings s) {
            int evaluation = (int) Math.round(s.broadPerClass() * s.broadEvaluationFraction());
            // dataset/ keeps at least one image of every class, evaluation/ too unless it is not wanted
            evaluation = Math.min(s.broadPerClass() - 1, s.broadEvaluationFraction() > 0 ? Math.max(1, evaluation) : 0);
            List<Folder> folders = new ArrayList<>();
            for (Split split : evaluation > 0 ? List.of(Split.DATASET, Split.EVALUATION) : List.of(Split.DATASET)) {
                for (Phenomenon p : s.broadClasses()) {
                    boolean crack = p == Phenomenon.CRACK;
                    int n = split == Split.DATASET ? s.broadPerClass() - evaluation : evaluation;
                    folders.add(new Folder(split, s.folder(p), crack, n, p));
                }
            }
            if (s.broadClasses().contains(Phenomenon.CRACK)) {
                folders.add(new Folder(Split.SEGMENTED, s.crackClass(), true, s.segmentedCount(), Phenomenon.CRACK));
            }
            return new Plan(List.copyOf(folders));
        }
    }

    /** What was written. */
    public record Summary(Path root, Plan plan, Duration elapsed) {
    }

    private final SynthSettings settings;
    private final long seed;
    private final CrackSynthesizer synthesizer;
    private final BroadSynthesizer broadSynthesizer;

    public SynthLayoutWriter(SynthSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
        this.synthesizer = new CrackSynthesizer(settings.size(), settings.difficulty(), settings.hardNegativeFraction());
        this.broadSynthesizer = new BroadSynthesizer(settings.size(), settings.difficulty());
    }

    public Plan plan() {
        return Plan.of(settings);
    }

    /** The file name of image {@code index} in its folder: 00000.png, 00001.png, … */
    public static String fileName(int index) {
        return String.format("%05d.png", index);
    }

    /**
     * Writes the layout under {@code root}.
     *
     * @param replace   whether an existing layout at {@code root} may be replaced (only after the new one is complete)
     * @param howToReplace what to tell the user when it may not (names the command's option)
     * @param progress  told the number of images done so far, from any thread, after each image
     * @throws FtlError naming the path when {@code root} cannot be written or may not be replaced
     */
    public Summary write(Path root, boolean replace, String howToReplace, IntConsumer progress) {
        long start = System.nanoTime();
        Plan plan = plan();
        // a folder per image, flattened, so the parallel stream splits the work evenly whatever the counts
        List<Folder> folderOf = new ArrayList<>();
        List<Integer> indexOf = new ArrayList<>();
        for (Folder f : plan.folders()) {
            for (int i = 0; i < f.count(); i++) {
                folderOf.add(f);
                indexOf.add(i);
            }
        }
        try (StagedFolder staged = StagedFolder.begin(root, LAYOUT_ENTRIES, replace, howToReplace)) {
            DataLayout layout = new DataLayout(staged.staging());
            for (Folder f : plan.folders()) {
                // every class folder exists, even when it gets no images, so the layout is always complete
                mkdirs(layout.root().resolve(f.path()));
                if (f.maskPath() != null) {
                    mkdirs(layout.root().resolve(f.maskPath()));
                }
            }
            AtomicInteger done = new AtomicInteger();
            // No task may throw: a parallel forEach returns as soon as one task fails while others are still
            // writing, and the staging folder would be deleted under them. The first failure is kept, the
            // remaining images are skipped, and it is thrown once every task has ended.
            AtomicReference<Throwable> failure = new AtomicReference<>();
            IntStream.range(0, folderOf.size()).parallel().forEach(k -> {
                if (failure.get() != null) {
                    return;
                }
                try {
                    Folder f = folderOf.get(k);
                    int index = indexOf.get(k);
                    CrackSynthesizer.Sample sample = f.phenomenon() == null
                            ? synthesizer.synthesize(seed, f.split(), f.crack(), index)
                            : broadSynthesizer.synthesize(seed, f.split(), f.phenomenon(), index);
                    String name = fileName(index);
                    boolean written = staged.write(() -> write(sample, layout.root().resolve(f.path()).resolve(name),
                            f.maskPath() == null ? null : layout.root().resolve(f.maskPath()).resolve(name)));
                    if (!written) {
                        throw new FtlError(root + ": not written: interrupted");
                    }
                    progress.accept(done.incrementAndGet());
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            });
            if (failure.get() instanceof RuntimeException e) {
                throw e;
            } else if (failure.get() instanceof Error e) {
                throw e;
            }
            staged.commit();
            return new Summary(staged.target(), plan, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void write(CrackSynthesizer.Sample sample, Path image, Path mask) {
        try {
            Images.writePng(sample.image(), image);
            if (mask != null) {
                Images.writePng(Images.maskImage(sample.mask(), settings.size(), settings.size()), mask);
            }
        } catch (UncheckedIOException e) {
            throw new FtlError(e.getMessage() + ": " + e.getCause(), e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new FtlError(dir + ": cannot create folder: " + e, e);
        }
    }
}
