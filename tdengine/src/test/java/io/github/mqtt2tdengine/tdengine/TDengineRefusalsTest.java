package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.CapturedLog;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a user sees when the connection is wrong, on every server: a wrong password, a missing database, a port where
 * nothing listens, and (WebSocket and REST, TDengine Cloud's form) a {@code token} the server refuses. Each fails
 * {@code start()} within seconds (not the driver's 60 s message timeout), with a {@link SinkException} that is not
 * retriable and says what is wrong; the secret appears nowhere: not in the message, not in the cause chain, not in
 * the sink's {@code toString()}, not in anything logged meanwhile (the driver's own loggers included).
 */
class TDengineRefusalsTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TDengineRefusalsTest.class);
    /** A bound for "fast": well under the driver's own 60 s message timeout; the figures are printed. */
    private static final Duration FAST = Duration.ofSeconds(10);
    /** The native client tries a port where nothing listens for about 20 s before it gives up (measured: 20.3 s). */
    private static final Duration NATIVE_CONNECT = Duration.ofSeconds(40);
    private static final String SECRET = "Zq7-secret-9Xw";

    private CapturedLog captured;
    private TDenginePeer peer;

    static Stream<Arguments> refusals() {
        return Server.all().flatMap(s -> Stream.of("password", "database", "port", "token")
                .filter(r -> !r.equals("token") || s == Server.WEBSOCKET || s == Server.REST)
                .map(r -> Arguments.of(s, r)));
    }

    @BeforeEach
    void captureLog() {
        captured = CapturedLog.start(true);
    }

    @AfterEach
    void tearDown() {
        captured.close();
        if (peer != null) {
            peer.close();
        }
    }

    @ParameterizedTest(name = "{0}: wrong {1}")
    @MethodSource("refusals")
    void start_refusedConnection_failsFast_notRetriable_saysWhy_secretNowhere(Server server, String refusal)
            throws Exception {
        peer = server.open();
        String db = peer.database("refused");
        peer.createDatabase(db, "ms");
        String url = peer.url(refusal.equals("database") ? db + "_missing" : db);
        String password = peer.password();
        if (refusal.equals("password")) {
            password = SECRET;
        } else if (refusal.equals("port")) {
            int closed;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            url = url.replaceFirst(":\\d+/", ":" + closed + "/");
            password = SECRET;
        } else if (refusal.equals("token")) {
            // TDengine Cloud's URL form: the token instead of user and password
            url = url.substring(0, url.indexOf('?') < 0 ? url.length() : url.indexOf('?')) + "?token=" + SECRET;
        }
        TDengineSink.Builder sink = TDengineSink.builder().jdbcUrl(url);
        if (!refusal.equals("token")) {
            sink.credentials(peer.user(), password);
        }
        TDengineSink built = sink.build();
        SyncPipeline p = SyncPipeline.builder().name("refused").source(new FakeTransport()).sink(built)
                .payload(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                        .column("v", "$.v", ColumnType.INT).tag("id", "$.id", ColumnType.INT).build())
                .superTable("meters").subTableTemplate("d{id}").build();
        long t0 = System.nanoTime();
        Throwable failure = catchThrowable(p::start);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        p.close();
        LOG.info("{}, wrong {}: start failed after {} ms: {}", server, refusal, took.toMillis(),
                failure == null ? "nothing" : failure.getMessage());
        assertThat(failure).isInstanceOf(SinkException.class);
        if (!refusal.equals("port")) {
            // nothing a retry could change; a port where nothing listens may be a server that is starting
            assertThat(failure).isNotInstanceOf(RetriableSinkException.class);
        }
        assertThat(took).isLessThan(server == Server.NATIVE && refusal.equals("port") ? NATIVE_CONNECT : FAST);
        String expected = switch (refusal) {
            case "password" -> "Authentication failure";
            // taosAdapter knows no tokens (TDengine Cloud's gateway does): WebSocket says "auth failure: Invalid user
            // name", REST "no auth info input"
            case "token" -> server == Server.WEBSOCKET ? "auth failure" : "no auth info input";
            case "database" -> "does not exist";
            default -> "Connection refused";
        };
        assertThat(failure.getMessage()).contains(expected);
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertThat(chain.toString()).doesNotContain(SECRET);
        assertThat(built.toString()).doesNotContain(SECRET);
        assertThat(captured.text()).doesNotContain(SECRET);
    }
}
