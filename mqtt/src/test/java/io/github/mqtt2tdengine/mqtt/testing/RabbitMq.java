package io.github.mqtt2tdengine.mqtt.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's MQTT plugin (Debian 12's {@code rabbitmq-server} 3.10: MQTT 3.1 and 3.1.1) as a private node: its own
 * node name, data, logs, configuration and plugin list in a temporary directory, every listener on 127.0.0.1, started
 * in the foreground with {@code /usr/lib/rabbitmq/bin/rabbitmq-server} (Debian's {@code /usr/sbin} wrapper would switch
 * to the rabbitmq user and write to /var/log). Anonymous MQTT clients log in as the default user guest, which may
 * connect from anywhere ({@code loopback_users = none}; it listens on loopback only anyway).
 */
public final class RabbitMq extends ErlangBroker {
    /** The server's start script (Debian's package). */
    public static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

    private final int nodePort = Mosquitto.freePort();
    private final int distPort = Mosquitto.freePort();

    private RabbitMq(Path dir) {
        super(dir, "m2td-rabbit");
        write(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp.1 = 127.0.0.1:" + nodePort,
                "mqtt.listeners.tcp.1 = 127.0.0.1:" + port,
                "mqtt.allow_anonymous = true",
                "mqtt.default_user = guest",
                "mqtt.default_pass = guest",
                "mqtt.vhost = /",
                "mqtt.exchange = amq.topic",
                // the default window is 10 unacknowledged messages per subscriber
                "mqtt.prefetch = 1000",
                "loopback_users = none",
                "log.console = false",
                "log.file.level = info",
                "") + "\n");
        write(dir.resolve("enabled_plugins"), "[rabbitmq_mqtt].\n");
    }

    /** Whether RabbitMQ is installed here (Debian's package). */
    public static boolean installed() {
        return Files.isExecutable(SERVER);
    }

    public static RabbitMq start(Path dir) {
        RabbitMq r = new RabbitMq(dir);
        try {
            r.start();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    @Override
    protected List<String> command() {
        return List.of(SERVER.toString());
    }

    @Override
    protected Map<String, String> environment() {
        return Map.ofEntries(
                Map.entry("RABBITMQ_NODENAME", nodeName),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(nodePort)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()),
                Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PLUGINS_EXPAND_DIR", dir.resolve("plugins-expand").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString()),
                // the distribution listens on loopback only too
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"));
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public List<String> protocolVersions() {
        return List.of("3.1", "3.1.1");
    }

    @Override
    public boolean sessionsSurviveRestart() {
        return true;
    }

    @Override
    public String log() {
        StringBuilder b = new StringBuilder(read(dir.resolve("stdout.log")));
        try (var files = Files.list(dir.resolve("log"))) {
            files.filter(f -> f.toString().endsWith(".log")).forEach(f -> b.append(read(f)));
        } catch (java.io.IOException | RuntimeException none) {
            // no log directory yet
        }
        return tail(b.toString(), 6_000);
    }
}
