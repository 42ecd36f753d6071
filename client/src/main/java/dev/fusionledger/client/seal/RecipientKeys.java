package dev.fusionledger.client.seal;

import java.io.IOException;
import java.security.PublicKey;

/** Where a contributor finds the public key of a recipient's enrolment certificate, by account id. */
@FunctionalInterface
public interface RecipientKeys {
    /**
     * @throws IllegalArgumentException naming {@code accountId} when it has no known certificate
     * @throws IOException              when the certificate cannot be read
     */
    PublicKey publicKey(String accountId) throws IOException;
}
