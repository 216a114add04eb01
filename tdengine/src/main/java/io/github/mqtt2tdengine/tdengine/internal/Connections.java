package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.Secret;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's connections: one per writer thread, opened on first use from the JDBC URL or the host's
 * {@code DataSource}, bound to the target database where that is safe (so INSERTs name tables without it), and
 * dropped after a connection error so that the retry opens a new one. Not API; may change in any release.
 */
public final class Connections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final String url;
    private final DataSource dataSource;
    private final String user;
    private final Secret password;
    private final String database;
    private final String pipelineName;
    private final Redaction redaction;
    /** A database name the REST driver can carry in its URL path unquoted. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    /** Set once the database is known to exist: from then on new connections are bound to it. */
    private volatile boolean databaseReady;

    /** One writer thread's connection. */
    public static final class Session {
        private final Connection connection;
        private volatile boolean bound;
        private StmtWriter stmt;

        private Session(Connection connection) {
            this.connection = connection;
        }

        /**
         * Returns the connection.
         *
         * @return the connection
         */
        public Connection connection() {
            return connection;
        }

        /**
         * Whether table names must carry the database (the connection is not bound to it).
         *
         * @return true unless bound
         */
        public boolean qualified() {
            return !bound;
        }

        /**
         * Returns this connection's parameter-binding writer, created on first use.
         *
         * @param database the database, qualifying names when the connection is not bound
         * @return the writer
         */
        public StmtWriter stmt(String database) {
            if (stmt == null) {
                stmt = new StmtWriter(connection, qualified() ? database : null);
            }
            return stmt;
        }

        private void close() {
            if (stmt != null) {
                stmt.close();
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("TDengine: closing a connection: {}", Redaction.none().text(e.toString()));
            }
        }
    }

    /**
     * Creates the connections of one sink.
     *
     * @param url the JDBC URL, or null with a DataSource
     * @param dataSource the host's DataSource, or null with a URL
     * @param user the user, or null
     * @param password the password, or null
     * @param database the target database
     * @param pipelineName for messages
     */
    public Connections(String url, DataSource dataSource, String user, Secret password, String database,
            String pipelineName) {
        this.url = url;
        this.dataSource = dataSource;
        this.user = user;
        this.password = password;
        this.database = database;
        this.pipelineName = pipelineName;
        this.redaction = Redaction.of(url, password);
    }

    /**
     * Returns the calling thread's session, connecting on first use.
     *
     * @return the session
     * @throws SinkException (or its retriable kind) naming the URL when the connection cannot be made
     */
    public Session current() {
        long id = Thread.currentThread().getId();
        Session s = sessions.get(id);
        if (s != null) {
            return s;
        }
        s = new Session(open());
        sessions.put(id, s);
        if (databaseReady) {
            bind(s);
        }
        return s;
    }

    /** The database exists now: binds the calling thread's connection and every later one. */
    public void databaseReady() {
        databaseReady = true;
        bind(current());
    }

    /** Closes the calling thread's connection (after a connection error): the next call opens a new one. */
    public void discardCurrent() {
        Session s = sessions.remove(Thread.currentThread().getId());
        if (s != null) {
            s.close();
        }
    }

    /**
     * Opens a connection that is not one of the writers' (for a check on a running sink); the caller closes it.
     *
     * @return the connection
     */
    public Connection open() {
        try {
            if (dataSource != null) {
                return user != null ? dataSource.getConnection(user, password == null ? null : password.reveal())
                        : dataSource.getConnection();
            }
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password.reveal());
            }
            return DriverManager.getConnection(withoutDatabase(url), props);
        } catch (SQLException e) {
            // the driver does not always chain the cause (WebSocket: "can't create connection with any server"):
            // a plain TCP connect tells whether the address is wrong, refused or unreachable; the server's own refusal
            // (credentials, database) says it all
            String probe = ErrorCodes.classify(e) == ErrorCodes.Kind.FATAL ? ""
                    : hasCause(e) ? "cause: " + redaction.text(rootCause(e))
                    : dataSource == null ? ConnectProbe.describe(url) : "";
            throw failure(probe.isEmpty() ? "cannot connect" : "cannot connect (" + probe + ")", e);
        }
    }

    /**
     * Turns a driver error into the pipeline's exception: fatal for errors a retry cannot fix, retriable otherwise.
     *
     * @param what what failed, for the message
     * @param e the driver's error
     * @return the exception to throw
     */
    public RuntimeException failure(String what, SQLException e) {
        // the driver's messages can hold the password or the URL's token: both are masked, in the cause chain too
        String message = "Pipeline '" + pipelineName + "': TDengine " + safeUrl() + ": " + redaction.text(what) + ": "
                + redaction.text(ErrorCodes.describe(e));
        SQLException cause = redaction.exception(e);
        return ErrorCodes.classify(e) == ErrorCodes.Kind.FATAL ? new SinkException(message, cause)
                : new RetriableSinkException(message, cause);
    }

    /**
     * Masks the password and the URL's secrets in a text (a driver's message), as {@link #failure} does.
     *
     * @param text the text
     * @return the text, safe to log
     */
    public String redact(String text) {
        return redaction.text(text);
    }

    /**
     * Returns the URL without its query string (which may hold a password), or "DataSource".
     *
     * @return what to log
     */
    public String safeUrl() {
        return url == null ? "DataSource" : stripQuery(url);
    }

    @Override
    public void close() {
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    /**
     * Binds a connection to the target database when that is safe, so that INSERTs can name tables without it (the
     * native client logs a warning line for every database-qualified table clause of an INSERT). A connection the
     * sink opened gets {@code USE db}. A connection from the host's {@code DataSource} gets it only when it has no
     * current database; one bound to another database is left as it is, with qualified names. Either way the current
     * database is checked with {@code SELECT DATABASE()}; on any doubt (a DataSource bound elsewhere; an error) names
     * stay qualified. REST is stateless: its driver keeps the name of a {@code USE} and sends every later statement to
     * {@code /rest/sql/<name>}; a backquoted name there breaks every later request of the connection ("Illegal
     * character in path"), so over REST the name goes unquoted, and only when it is a plain lower-case identifier.
     */
    private void bind(Session s) {
        if (s.bound) {
            return;
        }
        boolean rest = isRest(s.connection);
        if (rest && !PLAIN_NAME.matcher(database).matches()) {
            LOG.debug("Pipeline '{}': REST connection: database `{}` is not a plain lower-case name, table names stay "
                    + "qualified", pipelineName, database);
            return;
        }
        try (Statement st = s.connection.createStatement()) {
            boolean use = dataSource == null;
            if (!use) {
                String current = currentDatabase(st);
                if (current != null && !current.equals(database)) {
                    LOG.debug("Pipeline '{}': the DataSource's connection is bound to `{}`, not `{}`: table names stay "
                            + "qualified", pipelineName, current, database);
                    return;
                }
                use = current == null;
            }
            if (use) {
                st.execute(rest ? "USE " + database : "USE " + Sql.appendIdentifier(new StringBuilder(), database));
            }
            if (database.equals(currentDatabase(st))) {
                s.bound = true;
                return;
            }
            LOG.debug("Pipeline '{}': TDengine connection not bound to `{}`: table names stay qualified",
                    pipelineName, database);
        } catch (SQLException | RuntimeException e) {
            // RuntimeException: drivers answer statements they emulate with unchecked errors; qualified names work
            LOG.debug("Pipeline '{}': TDengine connection cannot be bound to `{}` ({}): table names stay qualified",
                    pipelineName, database, redaction.text(e.toString()));
        }
    }

    /**
     * Tells whether a connection is the REST driver's ({@code jdbc:TAOS-RS://}), whose answers differ (a VARBINARY value
     * comes as the JSON text of its hex digits, {@code "6162"}).
     *
     * @param c a connection of these connections
     * @return true for REST
     */
    public boolean isRest(Connection c) {
        if (url != null) {
            return url.startsWith("jdbc:TAOS-RS:");
        }
        try {
            String u = c.getMetaData().getURL();
            return u != null && u.startsWith("jdbc:TAOS-RS:");
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static String currentDatabase(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean hasCause(SQLException e) {
        Throwable c = e.getCause();
        return c != null && c != e && !(c instanceof SQLException);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * Removes the database from a URL's path: every statement names its database, and a driver that runs
     * {@code USE db} on connect would fail before {@code CREATE DATABASE IF NOT EXISTS} could run.
     *
     * @param url the URL
     * @return the URL without a database in its path
     */
    public static String withoutDatabase(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        if (slash < 0) {
            return url;
        }
        int q = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + (q < 0 ? "" : url.substring(q));
    }

    /**
     * Returns a URL without its query string.
     *
     * @param url the URL
     * @return the URL up to its {@code ?}
     */
    public static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
