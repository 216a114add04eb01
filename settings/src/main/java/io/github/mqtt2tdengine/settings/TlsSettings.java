package io.github.mqtt2tdengine.settings;

/**
 * The {@code mqtt.tls} section: TLS for the broker connection ({@code TlsConfig.builder()}). The PEM values take the
 * PEM text or {@code @/path/to/file}, read once when the settings are loaded. Immutable; every component may be null;
 * {@code toString()} hides the client key.
 *
 * @param enabled false keeps the section but turns TLS off; default true when the section is present
 * @param ca CA certificate(s) in PEM, or @file; the JVM trust store when not set
 * @param clientCert client certificate chain in PEM, or @file, for mutual TLS (with clientKey)
 * @param clientKey client private key in PEM (PKCS#8, PKCS#1 or SEC1), or @file, for mutual TLS; never logged
 * @param hostnameVerification whether the broker's host name is verified against its certificate; default true
 * @since 0.1.0
 */
public record TlsSettings(Boolean enabled, String ca, String clientCert, String clientKey,
        Boolean hostnameVerification) {
    @Override
    public String toString() {
        return "TlsSettings[enabled=" + enabled + ", ca=" + (ca == null ? null : "set") + ", clientCert="
                + (clientCert == null ? null : "set") + ", clientKey=" + (clientKey == null ? null : "****")
                + ", hostnameVerification=" + hostnameVerification + "]";
    }
}
