package io.github.mqtt2tdengine.mqtt.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns PEM material into the JSSE factories the MQTT clients take. Not API; may change in any release.
 *
 * @param keyManagers the client key and chain, or null without mutual TLS
 * @param trustManagers the trusted CAs, or null for the JVM's default trust store
 */
public record TlsFactories(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {
    private static final char[] NO_PASSWORD = new char[0];

    /**
     * Builds the factories, checking that the key matches the certificate.
     *
     * @param caPem trusted CA certificates, or null for the JVM default
     * @param certPem client certificate chain, or null
     * @param keyPem client private key, or null
     * @return the factories
     * @throws IllegalArgumentException naming the bad item
     */
    public static TlsFactories of(String caPem, String certPem, String keyPem) {
        if ((certPem == null) != (keyPem == null)) {
            throw new IllegalArgumentException("TLS mutual authentication needs both the client certificate and the "
                    + "client private key, but only the " + (certPem == null ? "key" : "certificate") + " was given");
        }
        try {
            TrustManagerFactory tmf = null;
            if (caPem != null) {
                List<X509Certificate> cas = Pem.certificates("TLS CA certificate", caPem);
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certPem != null) {
                List<X509Certificate> chain = Pem.certificates("TLS client certificate", certPem);
                PrivateKey key = Pem.privateKey("TLS client private key", keyPem);
                checkMatch(key, chain.get(0));
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, NO_PASSWORD);
            }
            return new TlsFactories(kmf, tmf);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("TLS material cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static void checkMatch(PrivateKey key, X509Certificate cert) {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            default:
                algorithm = key.getAlgorithm();
                break;
        }
        boolean ok;
        try {
            byte[] probe = "mqtt2tdengine key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            ok = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("TLS client private key does not match the client certificate ("
                    + cert.getSubjectX500Principal().getName() + ")");
        }
    }

    /**
     * Builds an SSLContext from the factories (for Paho).
     *
     * @return the context
     */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS context cannot be created: " + e.getMessage(), e);
        }
    }
}
