package org.ftl.backbone;

import java.util.Locale;

/** Which conv layers of a built-in architecture have batch-norm between the conv and its ReLU. */
public enum BatchNorm {
    /** After every conv: FTL's default, which trains a deep net from scratch faster and more reliably. */
    EVERY,
    /** After the first conv only: the AlexNet of the method's authors (whose parameter counts they published). */
    FIRST,
    /** None: the published AlexNet and VGG16 of 2012 and 2014, and the layout Keras' VGG16 weights fit. */
    NONE;

    /** every, first or none; true and false (the setting's older form) read as every and none. */
    public static BatchNorm parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "true" -> EVERY;
            case "false" -> NONE;
            default -> valueOf(n.toUpperCase(Locale.ROOT));
        };
    }

    public static BatchNorm of(boolean everyConv) {
        return everyConv ? EVERY : NONE;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the {@code index}-th conv layer (0 = the first) has batch-norm. */
    public boolean after(int index) {
        return this == EVERY || (this == FIRST && index == 0);
    }
}
