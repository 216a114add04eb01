package io.github.mqtt2tdengine.runner;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.mqtt.testing.TestCerts;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** Publishes over mutual TLS until a process exits (the runner stops after --max-messages). */
final class TlsPublisher {
    private TlsPublisher() {
    }

    static void publishUntilExit(Process process, int port, TestCerts certs, String password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certs.pem("ca.crt")
                        .getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("c", io.github.mqtt2tdengine.mqtt.internal.Pem.privateKey("key",
                certs.pem("client-rsa.pkcs8.pem")), new char[0], io.github.mqtt2tdengine.mqtt.internal.Pem
                .certificates("cert", certs.pem("client-rsa.crt")).toArray(new java.security.cert.X509Certificate[0]));
        kmf.init(keys, new char[0]);
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("tls-publisher")
                .serverHost("127.0.0.1").serverPort(port).sslConfig().trustManagerFactory(tmf).keyManagerFactory(kmf)
                .applySslConfig().simpleAuth().username("ingest").password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        client.connect();
        int seq = 0;
        while (process.isAlive() && seq < 100_000) {
            client.publishWith().topic("plant/m1/meters").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Publisher.payload(seq++, 5).getBytes(StandardCharsets.UTF_8)).send();
            TimeUnit.MILLISECONDS.sleep(10);
        }
        client.disconnect();
    }
}
