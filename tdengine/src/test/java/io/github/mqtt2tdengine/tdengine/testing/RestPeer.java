package io.github.mqtt2tdengine.tdengine.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The REST test server as a {@link TDenginePeer}: its own in-memory state, read directly. */
final class RestPeer implements TDenginePeer {
    private final TDengineRestServer server;

    RestPeer(TDengineRestServer server) {
        this.server = server;
    }

    @Override
    public Server server() {
        return Server.TEST_SERVER;
    }

    @Override
    public String database(String prefix) {
        return prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    }

    @Override
    public String url(String database) {
        return server.url(database);
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public String password() {
        return "taosdata";
    }

    @Override
    public void createDatabase(String name, String precision) {
        server.createDatabase(name, precision);
    }

    @Override
    public void dropDatabase(String name) {
        server.dropDatabase(name);
    }

    @Override
    public Optional<String> precision(String database) {
        return server.precision(database);
    }

    @Override
    public long rowCount(String database, String stable) {
        return server.rowCount(database, stable);
    }

    @Override
    public Map<Long, Map<String, Object>> rows(String database, String table) {
        return server.rows(database, table);
    }

    @Override
    public Map<String, Object> tags(String database, String table) {
        return server.tags(database, table);
    }

    @Override
    public List<String> tableNames(String database) {
        List<String> names = new ArrayList<>(server.tableNames(database));
        names.sort(null);
        return names;
    }

    @Override
    public List<TDengineRestServer.Col> describe(String database, String stable, boolean tags) {
        return server.describe(database, stable, tags);
    }

    @Override
    public Optional<List<String>> statements() {
        return Optional.of(server.statements());
    }

    @Override
    public Optional<TDengineRestServer> restServer() {
        return Optional.of(server);
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server().toString();
    }
}
