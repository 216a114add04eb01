package io.github.mqtt2tdengine.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.mqtt.testing.TestCerts;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM parsing on keys and certificates openssl generated at test time. */
class PemTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void generate() {
        certs = TestCerts.generate(dir);
    }

    @ParameterizedTest
    @CsvSource({
        "client-ec.sec1.pem, EC, client-ec.crt",
        "client-ec.pkcs8.pem, EC, client-ec.crt",
        "client-rsa.pkcs1.pem, RSA, client-rsa.crt",
        "client-rsa.pkcs8.pem, RSA, client-rsa.crt",
    })
    void privateKey_everyFormat_readsAndMatchesItsCertificate(String keyFile, String algorithm, String cert) {
        PrivateKey key = Pem.privateKey("TLS client private key", certs.pem(keyFile));
        assertThat(key.getAlgorithm()).isEqualTo(algorithm);
        TlsFactories f = TlsFactories.of(certs.pem("ca.crt"), certs.pem(cert), certs.pem(keyFile));
        assertThat(f.keyManagers()).isNotNull();
        assertThat(f.trustManagers()).isNotNull();
    }

    @Test
    void certificates_chainInOneText_readsAll() {
        String chain = certs.pem("client-ec.crt") + "\n" + certs.pem("ca.crt");
        assertThat(Pem.certificates("TLS client certificate", chain)).hasSize(2);
        assertThat(Pem.certificates("TLS CA certificate", certs.pem("ca.crt")).get(0).getSubjectX500Principal()
                .getName()).isEqualTo("CN=mqtt2tdengine test ca");
    }

    @Test
    void badMaterial_namesWhatIsWrong_neverTheKey() {
        assertThatThrownBy(() -> TlsConfig.builder().caPem("not a certificate").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS CA certificate is not PEM: no -----BEGIN CERTIFICATE----- block found");
        assertThatThrownBy(() -> TlsConfig.builder().caPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .build()).hasMessageStartingWith("TLS CA certificate: certificate 1 cannot be read: ");
        assertThatThrownBy(() -> TlsConfig.builder().caPem(certs.pem("ca.crt")).clientCertPem(certs.pem("client-ec.crt"))
                .clientKeyPem(certs.pem("client-rsa.encrypted.pem")).build())
                .hasMessage("TLS client private key is encrypted (ENCRYPTED PRIVATE KEY); give it unencrypted, e.g. "
                        + "openssl pkcs8 -topk8 -nocrypt");
        String rsaKey = certs.pem("client-rsa.pkcs1.pem");
        assertThatThrownBy(() -> TlsConfig.builder().caPem(certs.pem("ca.crt")).clientCertPem(certs.pem("client-ec.crt"))
                .clientKeyPem(rsaKey).build())
                .hasMessage("TLS client private key does not match the client certificate (CN=pipeline-ec)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(rsaKey.substring(40, 80)));
        assertThatThrownBy(() -> TlsConfig.builder().clientCertPem(certs.pem("client-ec.crt")).build())
                .hasMessage("TLS mutual authentication needs both the client certificate and the client private key, "
                        + "but only the certificate was given");
        assertThatThrownBy(() -> TlsConfig.builder().caFile(Path.of("/nonexistent/ca.pem")))
                .hasMessageStartingWith("TLS CA certificate file '/nonexistent/ca.pem' cannot be read: ");
        assertThatThrownBy(() -> Pem.privateKey("TLS client private key", "-----BEGIN EC PRIVATE KEY-----\nMAA=\n"
                + "-----END EC PRIVATE KEY-----")).hasMessageStartingWith("TLS client private key: EC PRIVATE KEY");
    }

    @Test
    void tlsConfig_toStringHidesKey() {
        TlsConfig c = TlsConfig.builder().caPem(certs.pem("ca.crt")).clientCertPem(certs.pem("client-ec.crt"))
                .clientKeyPem(certs.pem("client-ec.sec1.pem")).build();
        assertThat(c.toString()).isEqualTo("TlsConfig{ca=given, clientCert=given, clientKey=****, "
                + "hostnameVerification=true}");
        assertThat(c.isMutual()).isTrue();
    }
}
