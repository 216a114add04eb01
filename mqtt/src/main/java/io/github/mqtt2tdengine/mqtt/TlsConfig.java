package io.github.mqtt2tdengine.mqtt;

import io.github.mqtt2tdengine.Secret;
import io.github.mqtt2tdengine.mqtt.internal.TlsFactories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS settings of the MQTT connection: the CA that signs the broker's certificate and, for mutual TLS, the client
 * certificate and private key, each as PEM contents (as the TDengine Cloud MQTT data source form takes them) or a file
 * path. PEM material is checked
 * when built. Immutable; {@link #toString()} hides the key.
 *
 * @since 0.1.0
 */
public final class TlsConfig {
    private final String caPem;
    private final String clientCertPem;
    private final Secret clientKeyPem;
    private final boolean hostnameVerification;
    private final TlsFactories factories;

    private TlsConfig(Builder b, TlsFactories factories) {
        this.caPem = b.caPem;
        this.clientCertPem = b.clientCertPem;
        this.clientKeyPem = b.clientKeyPem;
        this.hostnameVerification = b.hostnameVerification;
        this.factories = factories;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether a CA was given (otherwise the JVM's default trust store is used).
     *
     * @return true with a CA
     */
    public boolean hasCa() {
        return caPem != null;
    }

    /**
     * Returns whether a client certificate and key were given (mutual TLS).
     *
     * @return true for mutual TLS
     */
    public boolean isMutual() {
        return clientCertPem != null;
    }

    /**
     * Returns whether the broker's certificate must match its host name.
     *
     * @return true by default
     */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /**
     * Returns the JSSE factories built from the PEM material. Not for hosts.
     *
     * @return the factories
     */
    TlsFactories factories() {
        return factories;
    }

    @Override
    public String toString() {
        return "TlsConfig{ca=" + (caPem != null ? "given" : "JVM default") + ", clientCert=" + (clientCertPem != null
                ? "given" : "none") + ", clientKey=" + (clientKeyPem != null ? clientKeyPem : "none")
                + ", hostnameVerification=" + hostnameVerification + '}';
    }

    /** Builds a {@link TlsConfig}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        private String caPem;
        private String clientCertPem;
        private Secret clientKeyPem;
        private boolean hostnameVerification = true;

        private Builder() {
        }

        /**
         * Sets the CA certificate(s) the broker's certificate must chain to, as PEM contents.
         *
         * @param pem one or more {@code -----BEGIN CERTIFICATE-----} blocks
         * @return this builder
         */
        public Builder caPem(String pem) {
            this.caPem = Objects.requireNonNull(pem, "CA certificate must not be null");
            return this;
        }

        /**
         * Reads the CA certificate(s) from a PEM file.
         *
         * @param file the file
         * @return this builder
         * @throws IllegalArgumentException naming the file if it cannot be read
         */
        public Builder caFile(Path file) {
            return caPem(read("CA certificate", file));
        }

        /**
         * Sets the client certificate (chain) for mutual TLS, as PEM contents.
         *
         * @param pem the certificate, then any intermediates
         * @return this builder
         */
        public Builder clientCertPem(String pem) {
            this.clientCertPem = Objects.requireNonNull(pem, "client certificate must not be null");
            return this;
        }

        /**
         * Reads the client certificate (chain) from a PEM file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder clientCertFile(Path file) {
            return clientCertPem(read("client certificate", file));
        }

        /**
         * Sets the client private key for mutual TLS, as PEM contents: PKCS#8 ({@code PRIVATE KEY}, RSA or EC),
         * PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), unencrypted.
         *
         * @param pem the key
         * @return this builder
         */
        public Builder clientKeyPem(String pem) {
            this.clientKeyPem = Secret.of(Objects.requireNonNull(pem, "client private key must not be null"));
            return this;
        }

        /**
         * Reads the client private key from a PEM file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder clientKeyFile(Path file) {
            return clientKeyPem(read("client private key", file));
        }

        /**
         * Turns checking that the broker's certificate matches its host name on or off; default on. Turn it off only
         * for test brokers whose certificates name another host.
         *
         * @param verify whether to verify
         * @return this builder
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        private static String read(String what, Path file) {
            Objects.requireNonNull(file, what + " file must not be null");
            try {
                return Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("TLS " + what + " file '" + file + "' cannot be read: " + e, e);
            }
        }

        /**
         * Builds the config, parsing the PEM material.
         *
         * @return the config
         * @throws IllegalArgumentException naming the item that is not valid PEM or does not match
         */
        public TlsConfig build() {
            TlsFactories f = TlsFactories.of(caPem, clientCertPem, clientKeyPem == null ? null : clientKeyPem.reveal());
            return new TlsConfig(this, f);
        }
    }
}
