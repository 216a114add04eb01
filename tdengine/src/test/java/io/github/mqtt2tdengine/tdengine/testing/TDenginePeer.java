package io.github.mqtt2tdengine.tdengine.testing;

import io.github.mqtt2tdengine.tdengine.WriteMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A TDengine server the sink's suite runs against: the REST test server ({@link TDengineRestServer}, with fault
 * injection) or a real TDengine given by {@code TDENGINE_JDBC_URL}. Both answer the same questions the same way, with
 * values normalized in one place: integers as Long (BIGINT UNSIGNED as BigInteger), FLOAT and DOUBLE as Double,
 * timestamps as Long in the database's precision, VARCHAR/NCHAR as String, VARBINARY as byte[], a missing value as
 * null. Each test takes fresh database names from {@link #database(String)}; {@link #close()} drops them.
 */
public interface TDenginePeer extends AutoCloseable {
    /** The environment variable naming a real server's JDBC URL. */
    String URL_VARIABLE = "TDENGINE_JDBC_URL";

    /** Which server. */
    enum Kind {
        /** The in-process REST test server, reached with {@code jdbc:TAOS-RS://}. */
        REST("REST test server"),
        /** The real TDengine at {@code TDENGINE_JDBC_URL}. */
        REAL("real TDengine"),
        /** The real TDengine at {@code TDENGINE_JDBC_URL}, the sink writing with parameter binding. */
        REAL_STMT("real TDengine, parameter binding");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * Returns the write mode a sink under test uses against this peer.
         *
         * @return STMT for {@link #REAL_STMT}, SQL otherwise
         */
        public WriteMode writeMode() {
            return this == REAL_STMT ? WriteMode.STMT : WriteMode.SQL;
        }

        /**
         * Starts a REST test server, or connects to the real server; without {@code TDENGINE_JDBC_URL} the calling
         * test is aborted (reported as skipped) with the reason.
         *
         * @return the peer
         */
        public TDenginePeer open() {
            if (this == REST) {
                return new RestPeer(new TDengineRestServer());
            }
            String url = System.getenv(URL_VARIABLE);
            Assumptions.assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no real TDengine "
                    + "server here, so the real-server variant is skipped (the REST test server covers the driver "
                    + "path)");
            return new RealPeer(url, this);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Returns which server this is.
     *
     * @return the kind
     */
    Kind kind();

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
