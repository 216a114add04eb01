package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TDengine dead-letter destination while the real taosAdapter is down (SIGKILLed, then started again by
 * {@code scripts/tdengine-server} in {@code TDENGINE_SERVER_DIR}): storing fails with {@link RetriableSinkException}
 * (the engine retries, nothing is acknowledged) and the next attempt after the restart connects afresh and stores.
 * Skipped without the real server, taosAdapter, or that directory.
 */
class TDengineDeadLettersFaultsIT {
    private TDenginePeer peer;
    private TDengineDeadLetters dest;

    static Stream<Server> adapterConnections() {
        return Stream.of(Server.WEBSOCKET, Server.REST);
    }

    @AfterEach
    void tearDown() {
        if (dest != null) {
            dest.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private static DeadLetter letter(String topic) {
        return new DeadLetter("faults", topic, new byte[] {0, '\'', (byte) 0xff}, 1, Instant.now(),
                DeadLetterReason.NO_ROUTE, "no route", null);
    }

    @ParameterizedTest(name = "{0}: taosadapter SIGKILLed, started again")
    @MethodSource("adapterConnections")
    void handle_taosadapterDown_retriable_storesAfterItIsBack(Server server) throws Exception {
        String dir = System.getenv("TDENGINE_SERVER_DIR");
        peer = server.open();
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), "TDENGINE_SERVER_DIR is not set: the server was not "
                + "started by scripts/test, so taosadapter cannot be killed and started again here");
        String db = peer.database("dlfaults");
        peer.createDatabase(db, "ms");
        dest = TDengineDeadLetters.builder().sink(TDengineSink.builder().jdbcUrl(peer.url(db))
                .credentials(peer.user(), peer.password()).build()).build();
        dest.handle(letter("before"));
        TDengineFaultsIT.script("kill", "taosadapter", dir);
        try {
            assertThatThrownBy(() -> dest.handleAll(List.of(letter("during"))))
                    .isInstanceOf(RetriableSinkException.class)
                    .hasMessageStartingWith("Pipeline 'faults': TDengine " + server.url().replaceAll("\\?.*", ""));
        } finally {
            TDengineFaultsIT.script("restart", "taosadapter", dir);
        }
        dest.handleAll(List.of(letter("during")));
        assertThat(peer.rowCount(db, TDengineDeadLetters.DEFAULT_SUPER_TABLE)).isEqualTo(2);
    }
}
