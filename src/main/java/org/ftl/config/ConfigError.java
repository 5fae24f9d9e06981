package org.ftl.config;

import org.ftl.FtlError;

/** A setting that is unknown, of the wrong type or out of range: one line naming key, origin and what is allowed. */
public final class ConfigError extends FtlError {
    public ConfigError(String message) {
        super(message);
    }
}
