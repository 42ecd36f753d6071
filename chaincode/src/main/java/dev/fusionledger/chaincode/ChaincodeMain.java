package dev.fusionledger.chaincode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Entry point of the chaincode jar. It installs the log policy of {@link RejectionLog} (one line per
 * expected rejection), then, as a chaincode server (chaincode-as-a-service,
 * {@code CHAINCODE_SERVER_ADDRESS} set), serves the peers over TLS with client authentication when
 * asked to; otherwise it hands over to Fabric's {@link ContractRouter} unchanged.
 *
 * <p>Environment (docs/network.md, "Chaincode as a service"):
 * <ul>
 *   <li>{@code CORE_PEER_TLS_ENABLED=true}: serve TLS with the PEM certificate chain
 *       {@code CORE_TLS_CLIENT_CERT_FILE} and the PKCS#8 PEM key {@code CORE_TLS_CLIENT_KEY_FILE}
 *       (the names Fabric's Java shim reads);</li>
 *   <li>{@code CHAINCODE_TLS_CLIENT_CA_FILE}: PEM of the CA whose certificates the peers present;
 *       when set, a connection without such a client certificate is refused (mutual TLS), so no
 *       other local process can act as a peer towards the chaincode.</li>
 * </ul>
 *
 * @throws IllegalStateException (from {@link #main}) when the client CA file is set without TLS,
 *                               or names a file that does not exist
 */
public final class ChaincodeMain {
    /** Environment variable naming the PEM of the CA of the peers' client certificates. */
    public static final String CLIENT_CA_ENV = "CHAINCODE_TLS_CLIENT_CA_FILE";

    private ChaincodeMain() {
    }

    public static void main(String[] args) throws Exception {
        RejectionLog.install();
        if (System.getenv("CHAINCODE_SERVER_ADDRESS") == null) {
            ContractRouter.main(args);
            return;
        }
        ContractRouter router = new ContractRouter(args);
        ChaincodeServerProperties props = router.getChaincodeServerConfig();
        String clientCa = System.getenv(CLIENT_CA_ENV);
        if (clientCa != null && !clientCa.isBlank()) {
            if (!props.isTlsEnabled()) {
                throw new IllegalStateException(CLIENT_CA_ENV + " is set but TLS is off (set CORE_PEER_TLS_ENABLED=true)");
            }
            if (!Files.isRegularFile(Path.of(clientCa))) {
                throw new IllegalStateException(CLIENT_CA_ENV + ": file not found: " + clientCa);
            }
            props.setTrustCertCollectionFile(clientCa);
        }
        router.startRouterWithChaincodeServer(new NettyChaincodeServer(router, props));
    }
}
