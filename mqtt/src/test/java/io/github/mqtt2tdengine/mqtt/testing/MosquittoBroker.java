package io.github.mqtt2tdengine.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's mosquitto as a {@link TestBroker}: the {@link Mosquitto} of the other integration tests, with persistence
 * and a TLS listener.
 */
public final class MosquittoBroker implements TestBroker {
    private final Mosquitto mosquitto;

    private MosquittoBroker(Mosquitto mosquitto) {
        this.mosquitto = mosquitto;
    }

    /** Whether mosquitto is installed here. */
    public static boolean installed() {
        try {
            Processes.find("mosquitto");
            return true;
        } catch (IllegalStateException missing) {
            return false;
        }
    }

    public static MosquittoBroker start(Path dir, TestCerts certs) {
        try {
            return new MosquittoBroker(Mosquitto.builder(Files.createDirectories(dir)).tls(certs).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public int port() {
        return mosquitto.port();
    }

    @Override
    public int tlsPort() {
        return mosquitto.tlsPort();
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
        mosquitto.restart();
    }

    @Override
    public String log() {
        return mosquitto.log();
    }

    @Override
    public void close() {
        mosquitto.close();
    }
}
