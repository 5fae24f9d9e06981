package org.ftl.data;

import java.io.Serializable;

/** The size a network takes its images at: height × width × channels (1 = grey, 3 = RGB). */
public record InputShape(int height, int width, int channels) implements Serializable {
    public InputShape {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("input shape must be H,W,C with C 1 or 3: " + height + "," + width + "," + channels);
        }
    }

    /** Parses "H,W,C" or "HxWxC" (as given to --input-shape). */
    public static InputShape parse(String text) {
        String[] p = text.trim().split("\\s*[,xX]\\s*");
        if (p.length != 3) {
            throw new IllegalArgumentException("input shape must be H,W,C, e.g. 64,64,3: " + text);
        }
        try {
            return new InputShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input shape must be three whole numbers H,W,C: " + text);
        }
    }

    public long pixels() {
        return (long) height * width;
    }

    @Override
    public String toString() {
        return height + "," + width + "," + channels;
    }
}
