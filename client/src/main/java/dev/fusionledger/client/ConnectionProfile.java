package dev.fusionledger.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The connection profile that {@code network/} writes to {@code <workdir>/connection-profile.json}
 * (format version 1, docs/network.md): channel and chaincode names, and per organisation its MSP
 * id, peers (endpoint, TLS CA, hostname override) and users (certificate and private key files).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionProfile(int version, String name, String channel, String chaincode, String workDir,
                                List<Organization> organizations) {

    /** Environment variable naming the network work directory. */
    public static final String NETWORK_DIR_ENV = "FUSIONLEDGER_NETWORK_DIR";
    /** File name of the profile inside the work directory. */
    public static final String FILE_NAME = "connection-profile.json";

    /**
     * A member organisation; {@code modelStore} is its IPFS node when the network runs them
     * ({@code make ipfs-up}), {@code null} when its parties use a local directory store.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Organization(String mspId, String domain, List<Peer> peers, Map<String, User> users,
                               ModelStoreEndpoint modelStore) {
    }

    /**
     * The model store of an organisation: {@code type} {@code "ipfs"}, {@code api} the Kubo node's RPC
     * API URL, {@code peerId} its libp2p peer id (docs/network.md, "IPFS nodes").
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelStoreEndpoint(String type, String api, String peerId) {
    }

    /** A peer: {@code endpoint} is {@code host:port} for gRPC with TLS. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Peer(String name, String endpoint, String hostnameOverride, String tlsCaCert) {
    }

    /** A user's enrolment certificate and PKCS#8 EC private key (PEM files). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(String certificate, String privateKey, String mspDir) {
    }

    /**
     * The default profile path: {@code $FUSIONLEDGER_NETWORK_DIR/connection-profile.json}, else
     * {@code ~/.cache/fusionledger/network/connection-profile.json}.
     */
    public static Path defaultPath() {
        String dir = System.getenv(NETWORK_DIR_ENV);
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "fusionledger", "network");
        return base.resolve(FILE_NAME);
    }

    /**
     * Reads a profile.
     *
     * @throws NoSuchFileException      when {@code path} does not exist (message names the path and
     *                                  how to create it)
     * @throws IllegalArgumentException when it is not a version-1 profile with at least one
     *                                  organisation
     * @throws IOException              when it cannot be read or is not JSON
     */
    public static ConnectionProfile load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "connection profile not found (start the network with `make network-up`, or pass --profile)");
        }
        ConnectionProfile p = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(path.toFile(), ConnectionProfile.class);
        if (p.version() != 1) {
            throw new IllegalArgumentException("profile " + path + ": version: must be 1, got " + p.version());
        }
        if (p.organizations() == null || p.organizations().isEmpty()) {
            throw new IllegalArgumentException("profile " + path + ": organizations: must list at least one");
        }
        return p;
    }

    /**
     * Finds an organisation by MSP id ({@code Org1MSP}), short name ({@code Org1}, any case) or
     * domain ({@code org1.example.com}).
     *
     * @throws IllegalArgumentException naming the known MSP ids when there is no such organisation
     */
    public Organization organization(String nameOrMspId) {
        String want = nameOrMspId.toLowerCase(Locale.ROOT);
        for (Organization o : organizations) {
            String msp = o.mspId().toLowerCase(Locale.ROOT);
            if (msp.equals(want) || (msp.endsWith("msp") && msp.substring(0, msp.length() - 3).equals(want))
                    || (o.domain() != null && o.domain().equalsIgnoreCase(want))) {
                return o;
            }
        }
        throw new IllegalArgumentException("org: unknown organisation '" + nameOrMspId + "', one of "
                + organizations.stream().map(Organization::mspId).collect(Collectors.joining(", ")));
    }

    /**
     * Finds a user of an organisation by name ({@code User1}, {@code Admin}; case-insensitive).
     *
     * @throws IllegalArgumentException naming the known users when there is no such user
     */
    public static User user(Organization org, String userName) {
        if (org.users() != null) {
            for (Map.Entry<String, User> e : org.users().entrySet()) {
                if (e.getKey().equalsIgnoreCase(userName)) {
                    return e.getValue();
                }
            }
        }
        throw new IllegalArgumentException("user: unknown user '" + userName + "' in " + org.mspId() + ", one of "
                + (org.users() == null ? "none" : org.users().keySet().stream().sorted().collect(Collectors.joining(", "))));
    }
}
