package org.ftl.data.label;

/** A region of interest: an axis-aligned box in pixel coordinates; outside it every pixel is background. */
public record Roi(int x, int y, int width, int height) {
    public Roi {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("region needs x, y >= 0 and width, height >= 1");
        }
    }

    /** True when the whole box lies inside an image of this size. */
    public boolean fitsIn(int imageWidth, int imageHeight) {
        return (long) x + width <= imageWidth && (long) y + height <= imageHeight;
    }

    public boolean contains(int px, int py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    /** The box as a row-major flag per pixel of an image of this size. */
    public boolean[] inside(int imageWidth, int imageHeight) {
        boolean[] in = new boolean[imageWidth * imageHeight];
        for (int yy = y; yy < Math.min(y + height, imageHeight); yy++) {
            for (int xx = x; xx < Math.min(x + width, imageWidth); xx++) {
                in[yy * imageWidth + xx] = true;
            }
        }
        return in;
    }

    @Override
    public String toString() {
        return width + "x" + height + " at " + x + "," + y;
    }
}
