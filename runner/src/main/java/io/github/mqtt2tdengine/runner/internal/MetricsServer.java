package io.github.mqtt2tdengine.runner.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mqtt2tdengine.PipelineHealth;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.micrometer.PipelineMetricsBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTP endpoint: Prometheus text at {@code /metrics} (the pipeline's meters and the JVM's), the health
 * answer at {@code /health} (200 while running and connected, 503 otherwise, JSON with the reason). One daemon thread,
 * the JDK's HTTP server; GET and HEAD only. Not API.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private MetricsServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /**
     * Starts serving.
     *
     * @param pipeline the pipeline to report
     * @param host the address to bind ({@code 127.0.0.1} unless told otherwise)
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static MetricsServer start(SyncPipeline pipeline, String host, int port) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PipelineMetricsBinder(pipeline).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            registry.close();
            throw new UncheckedIOException("metrics endpoint cannot listen on " + host + ":" + port + ": " + e, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mqtt2td-" + pipeline.name() + "-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsServer s = new MetricsServer(server, executor, registry);
        s.gc.bindTo(registry);
        server.createContext("/metrics", ex -> s.handle(ex, () -> new Answer(200, PROMETHEUS_TEXT, registry.scrape())));
        server.createContext("/health", ex -> s.handle(ex, () -> health(pipeline)));
        server.createContext("/", ex -> s.handle(ex, () -> new Answer(404, "text/plain; charset=utf-8",
                "not found: try /metrics or /health\n")));
        server.setExecutor(executor);
        server.start();
        LOG.info("Pipeline '{}': metrics at http://{}:{}/metrics, health at /health", pipeline.name(), host,
                s.port());
        return s;
    }

    /**
     * Returns the port bound.
     *
     * @return the port (the chosen one when started with 0)
     */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Answer(int status, String contentType, String body) {
    }

    private interface Responder {
        Answer answer();
    }

    static Answer health(SyncPipeline pipeline) {
        PipelineHealth h = PipelineHealth.of(pipeline);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", h.healthy() ? "UP" : "DOWN");
        body.put("pipeline", pipeline.name());
        body.put("state", h.state().name().toLowerCase(Locale.ROOT));
        body.put("connection", h.connection().name().toLowerCase(Locale.ROOT));
        body.put("reason", h.reason());
        return new Answer(h.healthy() ? 200 : 503, "application/json", body.toString() + "\n");
    }

    private void handle(HttpExchange exchange, Responder responder) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Answer a;
            try {
                a = responder.answer();
            } catch (RuntimeException e) {
                LOG.warn("metrics endpoint: {} failed", exchange.getRequestURI().getPath(), e);
                a = new Answer(500, "text/plain; charset=utf-8", "error: " + e + "\n");
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(a.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        gc.close();
        registry.close();
    }
}
