package dev.fusionledger.console;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the console listens and who may use it.
 *
 * @param host  address to bind; a loopback address (default {@value #DEFAULT_HOST}) needs no token
 * @param port  TCP port 0..65535 (0: any free port; default {@value #DEFAULT_PORT})
 * @param token access token, at least {@value #MIN_TOKEN_CHARS} characters; required when {@code host}
 *              is not a loopback address, optional otherwise ({@code null}: none)
 * @throws IllegalArgumentException naming the field when the port is out of range, the host cannot be
 *                                  resolved, or a token is missing or too short
 */
public record ConsoleSettings(String host, int port, String token) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;
    public static final int MIN_TOKEN_CHARS = 16;

    public ConsoleSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: must be in 0..65535, got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must be an address or host name, got '" + host + "'");
        }
        if (token != null && token.isEmpty()) {
            token = null;
        }
        if (token != null && token.length() < MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("token: must have at least " + MIN_TOKEN_CHARS + " characters, got "
                    + token.length());
        }
        if (token == null && !loopback(host)) {
            throw new IllegalArgumentException("token: required when --host is not a loopback address (got '" + host
                    + "'): pass --token or set FUSIONLEDGER_CONSOLE_TOKEN");
        }
    }

    /** @return whether every address {@code host} resolves to is a loopback address */
    static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: cannot resolve '" + host + "'", e);
        }
    }
}
