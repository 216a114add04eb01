package io.github.mqtt2tdengine.tdengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.Secret;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RedactionTest {

    /** What the driver (3.7.9) says when its WebSocket connect request is not answered in time. */
    private static final String CONNECT_TIMEOUT = "failed to complete the task:{\"action\":\"conn\",\"args\":{\"req_id\":"
            + "1,\"user\":\"root\",\"password\":\"s3cr\\\"et-pw\",\"db\":\"\",\"mode\":0}} within the specified time : "
            + "60000,MILLISECONDS";

    /** What a log line with the exception shows: each exception of the chain as {@code class: message}. */
    private static String chain(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c).append('\n');
        }
        return out.toString();
    }

    @Test
    void text_driversConnectRequestInATimeoutMessage_passwordMasked() {
        String masked = Redaction.of("jdbc:TAOS-WS://h:6041/db", Secret.of("s3cr\"et-pw")).text(CONNECT_TIMEOUT);
        assertThat(masked).doesNotContain("s3cr").contains("\"password\":\"****\"").contains("\"user\":\"root\"");
        // a JSON password field is masked even when the value is not known (a DataSource's connection)
        assertThat(Redaction.none().text(CONNECT_TIMEOUT)).doesNotContain("s3cr").contains("\"password\":\"****\"");
    }

    @Test
    void text_cloudTokenAndUrlPassword_maskedWhereverTheyAppear() {
        String url = "jdbc:TAOS-WS://gw.cloud.example:443/db?useSSL=true&token=9f8e7d6c5b4a&password=p%40ss";
        Redaction r = Redaction.of(url, null);
        assertThat(r.text("can't create connection with server ws://gw.cloud.example:443/ws?token=9f8e7d6c5b4a "
                + "within: 60000 milliseconds")).isEqualTo("can't create connection with server "
                        + "ws://gw.cloud.example:443/ws?token=**** within: 60000 milliseconds");
        assertThat(r.text("token 9f8e7d6c5b4a was refused; password p@ss")).isEqualTo("token **** was refused; "
                + "password ****");
        assertThat(Redaction.none().text("GET /rest/sql/db?token=abc&x=1")).isEqualTo("GET /rest/sql/db?token=****&x=1");
    }

    @Test
    void exception_copyKeepsCodeStateAndStack_masksTheMessageAndTheWholeCauseChain() {
        SQLException driver = new SQLException(CONNECT_TIMEOUT, "08001", 0x2354,
                new IllegalStateException("retry of " + CONNECT_TIMEOUT, new RuntimeException("s3cr\"et-pw")));
        SQLException copy = Redaction.of(null, Secret.of("s3cr\"et-pw")).exception(driver);
        assertThat(copy.getErrorCode()).isEqualTo(0x2354);
        assertThat(copy.getSQLState()).isEqualTo("08001");
        assertThat(copy.getStackTrace()).isEqualTo(driver.getStackTrace());
        assertThat(chain(copy)).doesNotContain("s3cr").contains("java.lang.IllegalStateException: retry of")
                .contains("java.lang.RuntimeException: ****");
    }

    @Test
    void exception_withoutSecrets_isPassedOnAsItIs() {
        SQLException driver = new SQLException("TDengine ERROR (0x80000216): syntax error", "", 0x80000216);
        assertThat((Object) Redaction.of("jdbc:TAOS://h:6030/db", Secret.of("taosdata")).exception(driver))
                .isSameAs(driver);
    }
}
