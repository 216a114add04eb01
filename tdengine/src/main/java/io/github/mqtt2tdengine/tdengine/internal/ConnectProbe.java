package io.github.mqtt2tdengine.tdengine.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;

/**
 * Finds the root cause of a failed connect that the TDengine driver does not report: its WebSocket connector answers
 * a refused or unreachable server with "can't create connection with any server within: 60000 milliseconds" and
 * only logs the cause. A plain TCP connect to the URL's host and port tells it. Not API; may change in any release.
 */
public final class ConnectProbe {
    private static final int TIMEOUT_MILLIS = 2_000;

    private ConnectProbe() {
    }

    /**
     * Connects to the URL's host and port and describes the result.
     *
     * @param jdbcUrl a {@code jdbc:TAOS...} URL
     * @return a sentence naming the address and what a TCP connect to it gives, for example
     *     {@code "TCP connect to 127.0.0.1:6041: Connection refused"}; empty when the URL has no host
     */
    public static String describe(String jdbcUrl) {
        String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
        URI uri;
        try {
            uri = URI.create(rest.replace("TAOS-WS:", "taosws:").replace("TAOS-RS:", "taosrs:")
                    .replace("TAOS:", "taos:"));
        } catch (IllegalArgumentException e) {
            return "";
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("taos") ? 6030 : 6041;
        String address = host + ":" + port;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return "TCP connect to " + address + " succeeds, so the server took the connection but refused or did not "
                    + "answer the " + (scheme.equals("taos") ? "native" : "HTTP/WebSocket") + " protocol: check the "
                    + "port (taosAdapter: 6041, native: 6030) and the credentials";
        } catch (java.net.UnknownHostException e) {
            return "TCP connect to " + address + ": unknown host";
        } catch (java.net.SocketTimeoutException e) {
            return "TCP connect to " + address + ": no answer within " + TIMEOUT_MILLIS + " ms";
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return "TCP connect to " + address + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }
}
