package io.github.mqtt2tdengine.tdengine.testing;

import io.github.mqtt2tdengine.tdengine.WriteMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A TDengine server the sink's suite runs against: the REST test server ({@link TDengineRestServer}, with fault
 * injection) or a real TDengine over one of its three connections: native ({@code TDENGINE_JDBC_URL}), WebSocket
 * ({@code TDENGINE_WS_URL}) or REST ({@code TDENGINE_RS_URL}), the last two through a real taosAdapter. All answer
 * the same questions the same way, with values normalized in one place: integers as Long (BIGINT UNSIGNED as
 * BigInteger), FLOAT and DOUBLE as Double, timestamps as Long in the database's precision, VARCHAR/NCHAR as String,
 * VARBINARY as byte[], a missing value as null. Each test takes fresh database names from
 * {@link #database(String)}; {@link #close()} drops them.
 */
public interface TDenginePeer extends AutoCloseable {
    /** Which server, and over which connection. */
    enum Server {
        /** The in-process REST test server, reached with {@code jdbc:TAOS-RS://}. */
        TEST_SERVER("REST test server", null, "jdbc:TAOS-RS://"),
        /** A real TDengine over the native connection, at {@code TDENGINE_JDBC_URL}. */
        NATIVE("real TDengine, native", "TDENGINE_JDBC_URL", "jdbc:TAOS://"),
        /** A real TDengine through a real taosAdapter over WebSocket, at {@code TDENGINE_WS_URL}. */
        WEBSOCKET("real TDengine, WebSocket", "TDENGINE_WS_URL", "jdbc:TAOS-WS://"),
        /** A real TDengine through a real taosAdapter over REST, at {@code TDENGINE_RS_URL}. */
        REST("real TDengine, REST", "TDENGINE_RS_URL", "jdbc:TAOS-RS://");

        private final String label;
        private final String variable;
        private final String scheme;

        Server(String label, String variable, String scheme) {
            this.label = label;
            this.variable = variable;
            this.scheme = scheme;
        }

        /**
         * Returns the environment variable naming this server's JDBC URL.
         *
         * @return the variable, or null for the REST test server
         */
        public String variable() {
            return variable;
        }

        /**
         * Returns whether this is a real TDengine.
         *
         * @return false for the REST test server
         */
        public boolean real() {
            return this != TEST_SERVER;
        }

        /**
         * Returns whether the driver binds parameters over this connection (native and WebSocket).
         *
         * @return true when STMT can be used
         */
        public boolean binds() {
            return this == NATIVE || this == WEBSOCKET;
        }

        /**
         * Returns the write modes a sink can use over this connection: SQL and AUTO everywhere, STMT where it binds.
         *
         * @return the modes
         */
        public List<WriteMode> writeModes() {
            return binds() ? List.of(WriteMode.SQL, WriteMode.STMT, WriteMode.AUTO)
                    : List.of(WriteMode.SQL, WriteMode.AUTO);
        }

        /**
         * Returns this real server's URL, or aborts the calling test (reported as skipped) with the reason.
         *
         * @return the URL from the environment
         */
        public String url() {
            String url = variable == null ? null : System.getenv(variable);
            Assumptions.assumeTrue(url != null && !url.isBlank(), () -> variable + " is not set: no " + label
                    + " here, so this variant is skipped (scripts/test starts an installed TDengine"
                    + (this == NATIVE ? "" : " and taosAdapter") + "; the REST test server covers the driver path)");
            Assumptions.assumeTrue(url.startsWith(scheme), () -> variable + " is not a " + scheme + " URL");
            return url;
        }

        /**
         * Starts a REST test server, or connects to the real server; without its URL the calling test is aborted
         * (reported as skipped) with the reason.
         *
         * @return the peer
         */
        public TDenginePeer open() {
            return this == TEST_SERVER ? new RestPeer(new TDengineRestServer()) : new RealPeer(url(), this);
        }

        /**
         * Returns every server, the REST test server first.
         *
         * @return the servers
         */
        public static Stream<Server> all() {
            return Stream.of(values());
        }

        /**
         * Returns the real servers.
         *
         * @return native, WebSocket, REST
         */
        public static Stream<Server> reals() {
            return all().filter(Server::real);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * A server and the write mode a sink under test uses against it.
     *
     * @param server the server and connection
     * @param writeMode the sink's write mode
     */
    record Target(Server server, WriteMode writeMode) {
        /**
         * Returns every server with every write mode its connection allows.
         *
         * @return the targets, the REST test server's first
         */
        public static Stream<Target> all() {
            return Server.all().flatMap(s -> s.writeModes().stream().map(m -> new Target(s, m)));
        }

        /**
         * Returns every server with the default write mode (SQL), for what does not depend on the mode.
         *
         * @return one target per server
         */
        public static Stream<Target> sqlOnly() {
            return Server.all().map(s -> new Target(s, WriteMode.SQL));
        }

        /**
         * Opens the server (see {@link Server#open()}).
         *
         * @return the peer
         */
        public TDenginePeer open() {
            return server.open();
        }

        @Override
        public String toString() {
            return server + ", " + writeMode;
        }
    }

    /**
     * Returns which server this is.
     *
     * @return the server
     */
    Server server();

    /**
     * Returns a fresh database name (prefix plus a random suffix), dropped at {@link #close()}; nothing is created.
     *
     * @param prefix the start of the name
     * @return the name
     */
    String database(String prefix);

    /**
     * Returns the JDBC URL for a database (the database in the URL's path).
     *
     * @param database the database
     * @return the URL
     */
    String url(String database);

    /**
     * Returns the user the tests connect as.
     *
     * @return the user
     */
    String user();

    /**
     * Returns the user's password.
     *
     * @return the password
     */
    String password();

    /**
     * Creates a database as an administrator would.
     *
     * @param name the database
     * @param precision {@code ms}, {@code us} or {@code ns}
     */
    void createDatabase(String name, String precision);

    /**
     * Drops a database as an administrator would (nothing when it does not exist).
     *
     * @param name the database
     */
    void dropDatabase(String name);

    /**
     * Returns a database's precision.
     *
     * @param database the database
     * @return {@code ms}, {@code us} or {@code ns}; empty when the database does not exist
     */
    Optional<String> precision(String database);

    /**
     * Counts the rows of a super table (0 when it or its database does not exist).
     *
     * @param database the database
     * @param stable the super table
     * @return the count
     */
    long rowCount(String database, String stable);

    /**
     * Returns the rows of a sub-table by timestamp (in the database's precision), each row every column's name to its
     * normalized value.
     *
     * @param database the database
     * @param table the sub-table
     * @return the rows, empty when the table does not exist
     */
    Map<Long, Map<String, Object>> rows(String database, String table);

    /**
     * Returns the tags of a sub-table.
     *
     * @param database the database
     * @param table the sub-table
     * @return every tag's name to its normalized value, empty when the table does not exist
     */
    Map<String, Object> tags(String database, String table);

    /**
     * Returns the names of a database's sub-tables, sorted.
     *
     * @param database the database
     * @return the names
     */
    List<String> tableNames(String database);

    /**
     * Returns what DESCRIBE says about a super table's columns or tags.
     *
     * @param database the database
     * @param stable the super table
     * @param tags true for the tags, false for the columns
     * @return name, type and length of each, in order; empty when the table does not exist
     */
    List<TDengineRestServer.Col> describe(String database, String stable, boolean tags);

    /**
     * Returns the statements the server received, where it records them (the REST test server).
     *
     * @return the statements, or empty for the real server
     */
    Optional<List<String>> statements();

    /**
     * Returns the REST test server, for fault injection.
     *
     * @return the server, or empty for the real server
     */
    Optional<TDengineRestServer> restServer();

    /** Drops the databases this peer named and disconnects, or stops the REST test server. */
    @Override
    void close();
}
