package io.github.mqtt2tdengine.mqtt.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition embedded in the test JVM ({@code com.hivemq:hivemq-community-edition-embedded}), on
 * 127.0.0.1 with a plain and a TLS listener, file persistence (sessions survive a restart), and a per-client queue
 * large enough that a lagging QoS 1 subscriber is queued, not discarded (the default is 1000 messages, then
 * {@code discard}). The configuration keys are those of HiveMQ CE's {@code config.xsd}.
 */
public final class HiveMqCe implements TestBroker {
    /** Messages HiveMQ queues per client before it applies its discard strategy. */
    public static final long MAX_QUEUE_SIZE = 1_000_000;

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private EmbeddedHiveMQ hivemq;
    private Duration lastStart;

    private HiveMqCe(Path dir, int port, int tlsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    public static HiveMqCe start(Path dir, TestCerts certs) {
        try {
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Path keystore = dir.resolve("server.p12");
            Processes.run(dir, Processes.find("openssl").toString(), "pkcs12", "-export", "-in",
                    certs.path("server.crt").toString(), "-inkey", certs.path("server.key").toString(), "-out",
                    keystore.toString(), "-passout", "pass:changeit", "-name", "server");
            HiveMqCe h = new HiveMqCe(dir, Mosquitto.freePort(), Mosquitto.freePort());
            Files.writeString(conf.resolve("config.xml"), h.config(keystore));
            h.startBroker();
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String config(Path keystore) {
        return String.join("\n",
                "<?xml version=\"1.0\"?>",
                "<hivemq>",
                "  <listeners>",
                "    <tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address></tcp-listener>",
                "    <tls-tcp-listener><port>" + tlsPort + "</port><bind-address>127.0.0.1</bind-address>",
                "      <tls><keystore><path>" + keystore + "</path><password>changeit</password>",
                "        <private-key-password>changeit</private-key-password></keystore></tls>",
                "    </tls-tcp-listener>",
                "  </listeners>",
                "  <mqtt>",
                "    <queued-messages><max-queue-size>" + MAX_QUEUE_SIZE + "</max-queue-size>"
                        + "<strategy>discard</strategy></queued-messages>",
                "    <receive-maximum><server-receive-maximum>65535</server-receive-maximum></receive-maximum>",
                "  </mqtt>",
                "  <persistence><mode>file</mode></persistence>",
                // overload protection throttles a fast publisher to a trickle
                "  <overload-protection><enabled>false</enabled></overload-protection>",
                "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>",
                "</hivemq>", "");
    }

    private void startBroker() {
        long t0 = System.nanoTime();
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data")).withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap().build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while HiveMQ CE started", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ CE embedded did not start: " + e, e);
        }
        lastStart = Duration.ofNanos(System.nanoTime() - t0);
    }

    private void stopBroker() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ CE embedded did not stop: " + e, e);
        } finally {
            hivemq = null;
        }
    }

    /** How long the last (re)start took. */
    public Duration lastStart() {
        return lastStart;
    }

    @Override
    public String name() {
        return "hivemq-ce";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int tlsPort() {
        return tlsPort;
    }

    @Override
    public List<String> protocolVersions() {
        return List.of("3.1", "3.1.1", "5.0");
    }

    @Override
    public boolean sharedSubscriptions() {
        return true;
    }

    @Override
    public boolean sessionsSurviveRestart() {
        return true;
    }

    @Override
    public void restart() {
        stopBroker();
        startBroker();
    }

    @Override
    public String log() {
        return "(HiveMQ CE logs through the test JVM's SLF4J binding)";
    }

    @Override
    public void close() {
        stopBroker();
    }
}
