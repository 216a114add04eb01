package io.github.mqtt2tdengine.examples;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's MQTT broker on a free port of 127.0.0.1: mosquitto when it is installed (Debian's package, the broker the
 * tests use), otherwise HiveMQ CE embedded in this process.
 */
public final class DemoBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String name;
    private Process mosquitto;
    private EmbeddedHiveMQ hivemq;

    private final int maxInflightMessages;
    /** HiveMQ CE's per-client queue: a subscriber that lags is queued, not discarded (its default is 1,000). */
    static final long HIVEMQ_MAX_QUEUE = 10_000_000;

    /** Starts the broker; mosquitto with a delivery window ({@code max_inflight_messages}) of 1000. */
    public DemoBroker() {
        this(1000);
    }

    /**
     * Starts the broker.
     *
     * @param maxInflightMessages mosquitto's delivery window per client, 0 for unlimited (HiveMQ CE: ignored; its window
     *     is fixed at 50 unacknowledged messages per client, whatever the client's receive maximum)
     */
    public DemoBroker(int maxInflightMessages) {
        this(maxInflightMessages, false);
    }

    /**
     * Starts HiveMQ CE embedded in this process, even where mosquitto is installed.
     *
     * @return the broker
     */
    public static DemoBroker hiveMq() {
        return new DemoBroker(1000, true);
    }

    private DemoBroker(int maxInflightMessages, boolean hiveMqOnly) {
        this.maxInflightMessages = maxInflightMessages;
        try {
            dir = Files.createTempDirectory("mqtt2td-demo-broker");
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path binary = hiveMqOnly ? null : findMosquitto();
            if (binary != null) {
                startMosquitto(binary);
                name = "mosquitto (" + binary + ")";
            } else {
                startHiveMq();
                name = "HiveMQ CE embedded";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findMosquitto() {
        if ("hivemq".equalsIgnoreCase(System.getenv("MQTT2TD_DEMO_BROKER"))) {
            return null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mosquitto"))) {
                return Path.of(d, "mosquitto");
            }
        }
        return null;
    }

    private void startMosquitto(Path binary) throws IOException {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "user " + System.getProperty("user.name") + "\nlistener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\nmax_queued_messages 2000000\nmax_inflight_messages " + maxInflightMessages + "\n"
                + "log_dest file " + dir.resolve("mosquitto.log") + "\n", StandardCharsets.UTF_8);
        mosquitto = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && mosquitto.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("mosquitto did not start on port " + port);
    }

    private void startHiveMq() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        // overload protection throttles a fast publisher to a trickle; this broker only serves the demo
        Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tcp-listener><port>" + port
                + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
                + "<mqtt><receive-maximum><server-receive-maximum>65535</server-receive-maximum>"
                + "</receive-maximum><queued-messages><max-queue-size>" + HIVEMQ_MAX_QUEUE
                + "</max-queue-size><strategy>discard</strategy></queued-messages></mqtt><persistence><mode>in-memory</mode></persistence>"
                + "<overload-protection><enabled>false</enabled></overload-protection>"
                + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>",
                StandardCharsets.UTF_8);
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap().build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the demo broker (HiveMQ CE embedded) did not start: " + e, e);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    public boolean isMosquitto() {
        return mosquitto != null;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        if (mosquitto != null) {
            mosquitto.destroy();
            try {
                mosquitto.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (hivemq != null) {
            try {
                hivemq.stop().get(30, TimeUnit.SECONDS);
                hivemq.close();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
            return;
        }
    }
}
