package io.github.mqtt2tdengine.settings.internal;

import io.github.mqtt2tdengine.settings.ConfigException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Builder calls made for a config key: a rejection becomes a {@link ConfigException} naming the key. Not API. */
final class KeyedCalls {
    private KeyedCalls() {
    }

    static <T> T required(String key, T value) {
        if (value == null) {
            throw new ConfigException(key + " is required");
        }
        return value;
    }

    static <T> void set(String key, T value, Consumer<T> setter) {
        if (value != null) {
            apply(key, () -> setter.accept(value));
        }
    }

    /** Runs a builder call, turning its rejection into a ConfigException naming the key. */
    static void apply(String key, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    static <T> T apply(String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }
}
