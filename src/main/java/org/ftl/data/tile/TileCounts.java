package org.ftl.data.tile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a tiling run wrote and what it left out, for the person who checks the data before a sweep:
 * patches per split and class, slivers left out, the segmented set, and the photos that had no mask.
 */
public final class TileCounts {
    private final Map<Split, int[]> patches = new EnumMap<>(Split.class);
    private final Map<Split, Integer> photos = new EnumMap<>(Split.class);
    private final Map<Split, Integer> slivers = new EnumMap<>(Split.class);
    private final List<String> photosWithoutMask = new ArrayList<>();
    private final List<String> masksWithoutPhoto = new ArrayList<>();
    private final List<String> photosTooSmall = new ArrayList<>();
    private int segmented;

    TileCounts() {
        for (Split s : Split.values()) {
            patches.put(s, new int[2]);
            photos.put(s, 0);
            slivers.put(s, 0);
        }
    }

    void addPhoto(Split split) {
        photos.merge(split, 1, Integer::sum);
    }

    void addPatch(Split split, Tiler.Kind kind) {
        switch (kind) {
            case CRACK -> patches.get(split)[0]++;
            case BACKGROUND -> patches.get(split)[1]++;
            case SLIVER -> slivers.merge(split, 1, Integer::sum);
        }
    }

    void photoWithoutMask(String name) {
        photosWithoutMask.add(name);
    }

    void maskWithoutPhoto(String name) {
        masksWithoutPhoto.add(name);
    }

    void photoTooSmall(String name) {
        photosTooSmall.add(name);
    }

    void segmented(int n) {
        segmented = n;
    }

    public int crack(Split split) {
        return patches.get(split)[0];
    }

    public int background(Split split) {
        return patches.get(split)[1];
    }

    public int photos(Split split) {
        return photos.get(split);
    }

    public int slivers(Split split) {
        return slivers.get(split);
    }

    public int slivers() {
        return slivers.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int segmented() {
        return segmented;
    }

    public List<String> photosWithoutMask() {
        return List.copyOf(photosWithoutMask);
    }

    public List<String> masksWithoutPhoto() {
        return List.copyOf(masksWithoutPhoto);
    }

    public List<String> photosTooSmall() {
        return List.copyOf(photosTooSmall);
    }

    /** The report as lines, printed by {@code ftl tile} and kept as tile-report.txt beside the data. */
    public List<String> describe(String crackClass, String backgroundClass, TileJob.Settings s) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "patches %dx%d, stride %d, Crack from %.1f %% crack cover, seed %d%s",
                s.size(), s.size(), s.stride(), 100 * s.minCrack(), s.seed(),
                s.maskObject().rule() == org.ftl.data.MaskObject.Rule.BRIGHTNESS ? ""
                        : ", crack = mask levels " + s.maskObject().describe()));
        out.add(String.format(Locale.ROOT, "%-12s %6s %8s %11s %8s", "split", "photos", crackClass, backgroundClass,
                "slivers"));
        for (Split split : Split.values()) {
            out.add(String.format(Locale.ROOT, "%-12s %6d %8d %11d %8d", split.name().toLowerCase(Locale.ROOT),
                    photos(split), crack(split), background(split), slivers(split)));
        }
        out.add(String.format(Locale.ROOT, "%-12s %6d %8d %11d %8d", "total",
                photos(Split.TRAINING) + photos(Split.EVALUATION), crack(Split.TRAINING) + crack(Split.EVALUATION),
                background(Split.TRAINING) + background(Split.EVALUATION), slivers()));
        out.add("segmented set: " + segmented + " of " + crack(Split.TRAINING) + " training " + crackClass
                + " patches, with masks");
        out.add("slivers left out (crack cover above 0 and below the minimum): " + slivers());
        out.add("photos without a mask (skipped): " + listed(photosWithoutMask));
        if (!masksWithoutPhoto.isEmpty()) {
            out.add("masks without a photo (ignored): " + listed(masksWithoutPhoto));
        }
        if (!photosTooSmall.isEmpty()) {
            out.add("photos smaller than one patch (no patches): " + listed(photosTooSmall));
        }
        return out;
    }

    private static String listed(List<String> names) {
        if (names.isEmpty()) {
            return "0";
        }
        int shown = Math.min(20, names.size());
        return names.size() + " (" + String.join(", ", names.subList(0, shown))
                + (shown < names.size() ? ", …" : "") + ")";
    }
}
