package io.github.mqtt2tdengine.mqtt.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ejabberd's MQTT broker ({@code mod_mqtt} of Debian 12's {@code ejabberd} 23.01: MQTT 3.1.1 and 5.0) as a private
 * node: its own node name, configuration, Mnesia spool and log in a temporary directory, started in the foreground with
 * {@code erl} directly (Debian's {@code ejabberdctl} would switch to the ejabberd user, and its start check runs
 * {@code epmd -kill} on a node-name clash). No XMPP listener, one MQTT listener on 127.0.0.1. Authentication is the
 * anonymous backend with {@code login_anon}: any user name and password log in, but a client must send a user name
 * (see BrokerMatrixIT.ejabberd_connectWithoutUserName_isRefused), so the tests log in as "test".
 */
public final class Ejabberd extends ErlangBroker {
    /** Where Debian installs ejabberd's Erlang applications. */
    static final Path LIBS = Path.of("/usr/lib/x86_64-linux-gnu");

    private Ejabberd(Path dir) {
        super(dir, "m2td-ejabberd");
        write(dir.resolve("ejabberd.yml"), String.join("\n",
                "hosts:",
                "  - \"localhost\"",
                "loglevel: info",
                "auth_method: [anonymous]",
                "anonymous_protocol: login_anon",
                "listen:",
                "  -",
                "    port: " + port,
                "    ip: \"127.0.0.1\"",
                "    module: mod_mqtt",
                "    backlog: 1000",
                "modules:",
                "  mod_mqtt:",
                // the default is 5000 outgoing packets per session
                "    max_queue: unlimited",
                "") + "\n");
    }

    /** Whether ejabberd is installed here (Debian's package). */
    public static boolean installed() {
        try (var dirs = Files.list(LIBS)) {
            return dirs.anyMatch(d -> d.getFileName().toString().startsWith("ejabberd-")
                    && Files.exists(d.resolve("ebin/mod_mqtt.beam"))) && Files.isExecutable(Path.of("/usr/bin/erl"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static Ejabberd start(Path dir) {
        Ejabberd e = new Ejabberd(dir);
        try {
            e.start();
        } catch (RuntimeException failed) {
            e.close();
            throw failed;
        }
        return e;
    }

    @Override
    protected List<String> command() {
        return List.of("/usr/bin/erl", "-sname", nodeName, "-noinput", "+K", "true",
                "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                "-mnesia", "dir", "\"" + dir.resolve("spool") + "\"", "-s", "ejabberd");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("EJABBERD_CONFIG_PATH", dir.resolve("ejabberd.yml").toString(),
                "EJABBERD_LOG_PATH", dir.resolve("ejabberd.log").toString(),
                "ERL_LIBS", LIBS.toString(),
                "ERL_CRASH_DUMP", dir.resolve("erl_crash.dump").toString());
    }

    @Override
    public String name() {
        return "ejabberd";
    }

    @Override
    public List<String> protocolVersions() {
        return List.of("3.1.1", "5.0");
    }

    @Override
    public boolean sessionsSurviveRestart() {
        return false;
    }

    @Override
    public String user() {
        return "test";
    }

    @Override
    public String password() {
        return "test";
    }

    @Override
    public String log() {
        return tail(read(dir.resolve("stdout.log")) + read(dir.resolve("ejabberd.log")), 6_000);
    }
}
