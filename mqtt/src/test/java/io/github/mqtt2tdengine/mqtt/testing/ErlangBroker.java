package io.github.mqtt2tdengine.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An MQTT broker that runs on the Erlang VM (RabbitMQ, ejabberd) as a child process of the test JVM, with its own
 * Erlang port mapper (epmd) on a private loopback port, so that it neither uses nor disturbs a system node or another
 * test's: the broker finds it through {@code ERL_EPMD_PORT}. Stopping sends SIGTERM to the VM (Erlang shuts down
 * cleanly on it) and then ends epmd; a shutdown hook kills both if the JVM exits first.
 */
abstract class ErlangBroker implements TestBroker {
    private static final AtomicInteger NODES = new AtomicInteger();

    protected final Path dir;
    protected final int port;
    protected final String nodeName;
    private final int epmdPort;
    private final Thread shutdownHook;
    private Process epmd;
    private Process server;
    private Duration lastStart;

    ErlangBroker(Path dir, String prefix) {
        this.dir = dir;
        this.port = Mosquitto.freePort();
        this.epmdPort = Mosquitto.freePort();
        this.nodeName = prefix + "-" + ProcessHandle.current().pid() + "-" + NODES.incrementAndGet() + "@localhost";
        this.shutdownHook = new Thread(this::killAll, "kill " + prefix);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The command that starts the broker in the foreground. */
    protected abstract List<String> command();

    /** The environment of the broker's process, on top of ERL_EPMD_PORT, ERL_EPMD_ADDRESS and HOME. */
    protected abstract Map<String, String> environment();

    /** How long the broker may take to listen. */
    protected Duration startTimeout() {
        return Duration.ofSeconds(60);
    }

    /** How long the last (re)start took until the MQTT port accepted connections. */
    public Duration lastStart() {
        return lastStart;
    }

    protected final void start() {
        long t0 = System.nanoTime();
        try {
            if (epmd == null || !epmd.isAlive()) {
                epmd = new ProcessBuilder(Processes.find("epmd").toString(), "-port", Integer.toString(epmdPort),
                        "-address", "127.0.0.1").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("epmd.log").toFile())).start();
                awaitPort(epmdPort, epmd, Duration.ofSeconds(10), "epmd");
            }
            ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
            Map<String, String> env = pb.environment();
            env.put("HOME", dir.toString());
            env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
            env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
            env.putAll(environment());
            server = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPort(port, server, startTimeout(), name());
        lastStart = Duration.ofNanos(System.nanoTime() - t0);
    }

    private void awaitPort(int p, Process process, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return;
            } catch (IOException notYet) {
                pause(50);
            }
        }
        throw new IllegalStateException(what + " did not listen on " + p + " within " + timeout.toSeconds() + " s: "
                + log());
    }

    /** Stops the broker's VM gracefully (SIGTERM to it and its children), killing it after 30 s. */
    protected final void stopServer() {
        if (server == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        server.descendants().forEach(all::add);
        all.add(server.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception stuck) {
                h.destroyForcibly();
            }
        }
        // the port is free again when the listener is gone; a restart binds it at once
        server = null;
    }

    @Override
    public void restart() {
        stopServer();
        start();
    }

    @Override
    public void close() {
        stopServer();
        if (epmd != null) {
            epmd.destroy();
            try {
                if (!epmd.waitFor(10, TimeUnit.SECONDS)) {
                    epmd.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            epmd = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    private void killAll() {
        Process s = server;
        if (s != null) {
            s.descendants().forEach(ProcessHandle::destroyForcibly);
            s.destroyForcibly();
        }
        Process e = epmd;
        if (e != null) {
            e.destroyForcibly();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int tlsPort() {
        return -1;
    }

    @Override
    public boolean sharedSubscriptions() {
        return false;
    }

    protected static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code max} characters of a log. */
    protected static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }
}
