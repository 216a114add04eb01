package io.github.mqtt2tdengine;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A password or private key: its {@link #toString()} is {@code ****}, so it never reaches a log or an exception.
 *
 * @since 0.1.0
 */
public final class Secret {
    private static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @param value the secret
     * @return the wrapper
     * @throws NullPointerException if value is null
     */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "secret value must not be null"));
    }

    /**
     * Returns the secret itself; call it only where the value is handed to a client library.
     *
     * @return the value
     */
    public String reveal() {
        return value;
    }

    /**
     * Returns whether the secret is the empty string.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), ((Secret) o).value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
