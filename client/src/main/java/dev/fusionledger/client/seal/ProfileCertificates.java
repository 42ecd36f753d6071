package dev.fusionledger.client.seal;

import dev.fusionledger.client.ConnectionProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Finds a member's enrolment certificate (whose P-256 key its keys are wrapped for) among the
 * users of the connection profile: the organisation by the account id's MSP id, the user by the
 * subject CN of the account id ({@code <mspId>::x509::CN=<name>,...::<issuer>}). A consortium with
 * members on other machines distributes its members' enrolment certificates the same way it
 * distributes the profile (docs/model-store.md, "Key delivery").
 */
public final class ProfileCertificates implements RecipientKeys {
    private final ConnectionProfile profile;

    /** @param profile the network's connection profile */
    public ProfileCertificates(ConnectionProfile profile) {
        this.profile = profile;
    }

    /**
     * @return the enrolment certificate of {@code accountId}
     * @throws IllegalArgumentException naming {@code accountId} when it is malformed or no user of its
     *                                  organisation in the profile has its subject CN
     * @throws IOException              when a certificate file cannot be read
     */
    public X509Certificate certificate(String accountId) throws IOException {
        String[] parts = accountId == null ? new String[0] : accountId.split("::");
        if (parts.length < 3 || !parts[1].equals("x509")) {
            throw new IllegalArgumentException("accountId: must be '<mspId>::x509::<subject>::<issuer>', got '" + accountId + "'");
        }
        String cn = cn(parts[2]);
        ConnectionProfile.Organization org = profile.organization(parts[0]);
        for (Map.Entry<String, ConnectionProfile.User> u : org.users().entrySet()) {
            X509Certificate c = read(Path.of(u.getValue().certificate()));
            if (cn != null && cn.equals(cn(c.getSubjectX500Principal().getName()))) {
                return c;
            }
        }
        throw new IllegalArgumentException("accountId: no user of " + org.mspId() + " in the profile has the CN '" + cn + "'");
    }

    @Override
    public java.security.PublicKey publicKey(String accountId) throws IOException {
        return certificate(accountId).getPublicKey();
    }

    static X509Certificate read(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("certificate " + pem + ": not an X.509 PEM certificate: " + e.getMessage(), e);
        }
    }

    private static String cn(String dn) {
        try {
            for (Rdn r : new LdapName(dn.replace(", ", ",")).getRdns()) {
                if (r.getType().equalsIgnoreCase("CN")) {
                    return r.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
