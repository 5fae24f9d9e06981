package org.ftl.report;

import java.util.Base64;

/** A chart as a page shows it: its PNG inline as a data URI, so the page needs no other file. */
record ChartImage(String alt, String dataUri) {
    static ChartImage of(byte[] png, String alt) {
        return new ChartImage(alt, "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    }

    public int width() {
        return Charts.WIDTH;
    }

    public int height() {
        return Charts.HEIGHT;
    }
}
