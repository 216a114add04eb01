package io.github.mqtt2tdengine.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real mosquitto broker (Debian's package) run by the tests as a child process on 127.0.0.1, configured for
 * at-least-once: no queue limit that would drop messages for a slow or offline subscriber, persistence on.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final int mtlsPort;
    private final int tlsLocalhostPort;
    private final int wsPort;
    private int expiredPort = -1;
    private Process process;

    private Mosquitto(Path dir, String config, int port, int tlsPort, int mtlsPort, int tlsLocalhostPort, int wsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.mtlsPort = mtlsPort;
        this.tlsLocalhostPort = tlsLocalhostPort;
        this.wsPort = wsPort;
        write(dir.resolve("mosquitto.conf"), config);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    public static final class Builder {
        private final Path dir;
        private String user;
        private String password;
        private TestCerts certs;
        private boolean websockets;
        private boolean persistence = true;
        private int maxInflight = 1000;
        private boolean saveEveryChange;
        private String acl;
        private int maxQueued = 1_000_000;

        Builder(Path dir) {
            this.dir = dir;
        }

        public Builder user(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Builder tls(TestCerts certs) {
            this.certs = certs;
            return this;
        }

        public Builder websockets() {
            this.websockets = true;
            return this;
        }

        /** Checks topics against this ACL file text (mosquitto's {@code acl_file}); {@link #acl(String)} rewrites it. */
        public Builder acl(String text) {
            this.acl = text;
            return this;
        }

        /** mosquitto's {@code max_queued_messages} per client (the tests' default: 1,000,000; mosquitto's: 1000). */
        public Builder maxQueued(int n) {
            this.maxQueued = n;
            return this;
        }

        public Builder persistence(boolean on) {
            this.persistence = on;
            return this;
        }

        /** Saves the persistence file after every change, so a SIGKILL loses nothing the broker acknowledged. */
        public Builder saveEveryChange() {
            this.saveEveryChange = true;
            return this;
        }

        public Builder maxInflight(int n) {
            this.maxInflight = n;
            return this;
        }

        public Mosquitto start() {
            int port = freePort();
            int tls = certs != null ? freePort() : -1;
            int mtls = certs != null ? freePort() : -1;
            int tlsLocal = certs != null ? freePort() : -1;
            int ws = websockets ? freePort() : -1;
            List<String> c = new ArrayList<>();
            c.add("user " + System.getProperty("user.name"));
            c.add("per_listener_settings false");
            c.add("allow_anonymous " + (user == null));
            if (user != null) {
                Path pw = dir.resolve("passwd");
                write(pw, "");
                Processes.run(dir, Processes.find("mosquitto_passwd").toString(), "-b", pw.toString(), user, password);
                c.add("password_file " + pw);
            }
            if (acl != null) {
                write(dir.resolve("acl"), acl);
                c.add("acl_file " + dir.resolve("acl"));
            }
            // at-least-once needs the broker to keep everything for slow or offline persistent sessions
            c.add("max_queued_messages " + maxQueued);
            c.add("max_queued_bytes 0");
            if (maxInflight >= 0) {
                c.add("max_inflight_messages " + maxInflight);
            }
            c.add("persistence " + persistence);
            c.add("persistence_location " + dir + "/");
            c.add("autosave_interval 1");
            if (saveEveryChange) {
                c.add("autosave_on_changes true");
            }
            c.add("log_dest file " + dir.resolve("mosquitto.log"));
            c.add("log_type error");
            c.add("log_type warning");
            c.add("log_type notice");
            c.add("listener " + port + " 127.0.0.1");
            if (certs != null) {
                c.add("listener " + tls + " 127.0.0.1");
                c.add("cafile " + certs.path("ca.crt"));
                c.add("certfile " + certs.path("server.crt"));
                c.add("keyfile " + certs.path("server.key"));
                c.add("listener " + mtls + " 127.0.0.1");
                c.add("cafile " + certs.path("ca.crt"));
                c.add("certfile " + certs.path("server.crt"));
                c.add("keyfile " + certs.path("server.key"));
                c.add("require_certificate true");
                c.add("listener " + tlsLocal + " 127.0.0.1");
                c.add("cafile " + certs.path("ca.crt"));
                c.add("certfile " + certs.path("server-localhost.crt"));
                c.add("keyfile " + certs.path("server.key"));
            }
            int expired = certs != null ? freePort() : -1;
            if (certs != null) {
                c.add("listener " + expired + " 127.0.0.1");
                c.add("cafile " + certs.path("ca.crt"));
                c.add("certfile " + certs.path("server-expired.crt"));
                c.add("keyfile " + certs.path("server.key"));
            }
            if (websockets) {
                c.add("listener " + ws + " 127.0.0.1");
                c.add("protocol websockets");
            }
            Mosquitto m = new Mosquitto(dir, String.join("\n", c) + "\n", port, tls, mtls, tlsLocal, ws);
            m.expiredPort = expired;
            m.startProcess();
            return m;
        }
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(Processes.find("mosquitto").toString(), "-c",
                    dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause(20);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 15 s: " + log());
    }

    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            Path log = dir.resolve("mosquitto.log");
            Path out = dir.resolve("stdout.log");
            return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops the broker gracefully (SIGTERM; it saves its persistence file). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Makes the broker write its persistence file now (SIGUSR1, see mosquitto(8)) and waits until it has: every
     * message it acknowledged before this call then survives a SIGKILL.
     */
    public void save() {
        Path db = dir.resolve("mosquitto.db");
        Instant asked = Instant.now();
        Processes.run(dir, "kill", "-USR1", Long.toString(process.pid()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(db)
                && Files.getLastModifiedTime(db).toInstant().isAfter(asked));
    }

    /**
     * Rewrites the ACL file and makes the running broker read it again (SIGHUP, see mosquitto(8)); it applies to
     * connected clients too, from their next packet on.
     */
    public void acl(String text) {
        write(dir.resolve("acl"), text);
        Processes.run(dir, "kill", "-HUP", Long.toString(process.pid()));
    }

    /** Starts the broker again after {@link #stop()}, on the same ports with the same persistence. */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mosquitto is running");
        }
        startProcess();
    }

    /** Kills the broker (SIGKILL). */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the broker (SIGKILL) and starts it again on the same ports with the same persistence file. */
    public void killAndRestart() {
        kill();
        startProcess();
    }

    /** Starts the broker again on the same ports with the same persistence. */
    public void restart() {
        stop();
        startProcess();
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int mtlsPort() {
        return mtlsPort;
    }

    public int tlsLocalhostOnlyPort() {
        return tlsLocalhostPort;
    }

    /** A TLS listener whose certificate expired in 2020. */
    public int tlsExpiredPort() {
        return expiredPort;
    }

    public int wsPort() {
        return wsPort;
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
