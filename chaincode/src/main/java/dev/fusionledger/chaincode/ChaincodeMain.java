package dev.fusionledger.chaincode;

import org.hyperledger.fabric.contract.ContractRouter;

/**
 * Entry point of the chaincode JVM (the jar's main class): installs the log policy of
 * {@link RejectionLog}, then runs Fabric's {@link ContractRouter} (chaincode-as-a-service, settings
 * from the {@code CHAINCODE_SERVER_ADDRESS}/{@code CORE_CHAINCODE_ID_NAME} environment).
 */
public final class ChaincodeMain {
    private ChaincodeMain() {
    }

    public static void main(String[] args) throws Exception {
        RejectionLog.install();
        ContractRouter.main(args);
    }
}
