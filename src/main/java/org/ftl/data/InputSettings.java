package org.ftl.data;

import org.ftl.config.Settings;


/** {@code ftl.input}: the size and preprocessing of the network's input. */
public record InputSettings(InputShape shape, Preprocessing preprocessing) {

    public static InputSettings from(Settings s) {
        int size = s.intIn("ftl.input.size", 16, 1024);
        int channels = s.intIn("ftl.input.channels", 1, 3);
        if (channels == 2) {
            throw s.invalid("ftl.input.channels", "must be 1 (grey) or 3 (RGB)");
        }
        String pre = s.oneOf("ftl.input.preprocessing", "imagenet-mean", "imagenet-caffe", "imagenet-torch", "unit", "none");
        return new InputSettings(new InputShape(size, size, channels), Preprocessing.parse(pre));
    }
}
