package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What TDengine's "efficient writing" over WebSocket ({@code asyncWrite=stmt}, taos-jdbcdriver 3.7.9) does on the real
 * server, pinned because the sink's guarantee depends on it: a message is acknowledged only after its rows are
 * committed. Rows go to background write threads at {@code addBatch}; {@code executeUpdate} waits for them and returns
 * the rows written, or throws. Skipped without a real taosAdapter.
 */
class EfficientWritingIT {
    private static final Logger LOG = LoggerFactory.getLogger(EfficientWritingIT.class);
    private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;

    private TDenginePeer peer;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
    }

    /** Efficient writing: 4 background threads writing blocks of 100 rows. */
    private Properties efficientWriting() {
        Properties p = new Properties();
        p.setProperty("user", peer.user());
        p.setProperty("password", peer.password());
        p.setProperty("asyncWrite", "stmt");
        p.setProperty("batchSizeByRow", "100");
        p.setProperty("backendWriteThreadNum", "4");
        return p;
    }

    private Connection connect(String db) throws SQLException {
        Connection c = DriverManager.getConnection(peer.url(db), efficientWriting());
        try (Statement st = c.createStatement()) {
            st.execute("USE " + db);
        }
        return c;
    }

    private String prepare() {
        peer = Server.WEBSOCKET.open();
        String db = peer.database("ew");
        peer.createDatabase(db, "ms");
        try (Connection c = DriverManager.getConnection(peer.url(db), peer.user(), peer.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE STABLE `" + db + "`.`meters` (ts TIMESTAMP, v INT) TAGS (id INT)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    private static void add(PreparedStatement ps, int device, long ts, int v) throws SQLException {
        ps.setString(1, "d" + device);
        ps.setInt(2, device);
        ps.setTimestamp(3, new Timestamp(ts));
        ps.setInt(4, v);
        ps.addBatch();
    }

    @Test
    void executeUpdate_waitsForTheBackgroundWrites_andReturnsTheRowsWritten() throws Exception {
        String db = prepare();
        try (Connection c = connect(db);
                PreparedStatement ps = c.prepareStatement("INSERT INTO meters (tbname, id, ts, v) VALUES (?,?,?,?)")) {
            for (int i = 0; i < 1_000; i++) {
                add(ps, i % 10, T0 + i, i);
            }
            ps.executeBatch();
            assertThat(ps.executeUpdate()).isEqualTo(1_000);
        }
        assertThat(peer.rowCount(db, "meters")).isEqualTo(1_000);
    }

    @Test
    void executeUpdate_taosadapterKilledAndStartedAgain_everyBatchItCalledWrittenIsInTheTable() throws Exception {
        String dir = System.getenv("TDENGINE_SERVER_DIR");
        String db = prepare();
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "TDENGINE_SERVER_DIR is not set");
        int batches = 30;
        int rows = 1_000;
        long confirmed = 0;
        java.util.List<String> outcomes = new java.util.ArrayList<>();
        Properties p = efficientWriting();
        p.setProperty("enableAutoReconnect", "true");
        p.setProperty("reconnectIntervalMs", "1000");
        p.setProperty("reconnectRetryCount", "10");
        Thread restart = null;
        try (Connection c = DriverManager.getConnection(peer.url(db), p)) {
            try (Statement st = c.createStatement()) {
                st.execute("USE " + db);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meters (tbname, id, ts, v) VALUES (?,?,?,?)")) {
                for (int b = 0; b < batches; b++) {
                    if (b == 5) {
                        TDengineFaultsIT.script("kill", "taosadapter", dir);
                        restart = new Thread(() -> {
                            try {
                                TimeUnit.SECONDS.sleep(5); // the scenario: started again 5 s later
                                TDengineFaultsIT.script("restart", "taosadapter", dir);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        restart.start();
                    }
                    long t0 = System.nanoTime();
                    try {
                        for (int i = 0; i < rows; i++) {
                            add(ps, i % 10, T0 + (long) b * rows + i, b * rows + i);
                        }
                        ps.executeBatch();
                        int n = ps.executeUpdate();
                        confirmed += n;
                        outcomes.add(b + ": " + n + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                                + " ms");
                    } catch (SQLException e) {
                        outcomes.add(b + ": threw after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                                + " ms: " + e.getMessage());
                    }
                }
            }
        } finally {
            if (restart != null) {
                restart.join(60_000);
            }
        }
        long inTable = peer.rowCount(db, "meters");
        LOG.info("efficient writing, taosadapter killed before batch 5 and started again 5 s later: {} rows confirmed "
                + "by executeUpdate, {} in the table; per batch: {}", confirmed, inTable, outcomes);
        assertThat(inTable).isGreaterThanOrEqualTo(confirmed);
    }

    @Test
    void executeUpdate_afterARowTheServerRejects_throws_andTheGoodRowsOfItsBlockAreLostToo() throws Exception {
        String db = prepare();
        SQLException failure = null;
        int returned = -1;
        try (Connection c = connect(db);
                PreparedStatement ps = c.prepareStatement("INSERT INTO meters (tbname, id, ts, v) VALUES (?,?,?,?)")) {
            for (int i = 0; i < 1_000; i++) {
                // one row of device 3 is older than KEEP: the server refuses it
                add(ps, i % 10, i == 503 ? 1_000 : T0 + i, i);
            }
            ps.executeBatch();
            try {
                returned = ps.executeUpdate();
            } catch (SQLException e) {
                failure = e;
            }
        }
        long rows = peer.rowCount(db, "meters");
        LOG.info("efficient writing, one rejected row among 1,000: executeUpdate {}, rows in the table {}",
                failure == null ? "returned " + returned : "threw (code " + failure.getErrorCode() + "): "
                        + failure.getMessage(), rows);
        assertThat((Object) failure).isNotNull();
        assertThat(failure.getMessage()).contains("Timestamp data out of range");
        // the good rows of the refused row's block are not in the table either: the error names no rows
        assertThat(rows).isLessThan(999);
    }
}
