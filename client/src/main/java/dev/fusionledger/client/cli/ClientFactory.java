package dev.fusionledger.client.cli;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.FusionLedgerClient;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** How the CLI gets a client for the chosen profile, organisation and user. */
@FunctionalInterface
public interface ClientFactory {

    /**
     * @param profile connection profile path ({@code null}: the default)
     * @param org     organisation ({@code null}: the profile's first)
     * @param user    user name
     * @param endorseRetries retries of endorsements that failed because peers were out of step (0: none)
     * @throws ConfigException when the profile, organisation, user or their files are wrong
     */
    FusionLedgerClient connect(Path profile, String org, String user, int endorseRetries) throws Exception;

    /** The Fabric Gateway factory: reads the profile and connects. */
    static ClientFactory gateway() {
        return (profile, org, user, endorseRetries) -> {
            Path path = profile != null ? profile : ConnectionProfile.defaultPath();
            ConnectionProfile p;
            try {
                p = ConnectionProfile.load(path);
            } catch (NoSuchFileException e) {
                throw new ConfigException("profile: " + path + ": connection profile not found (start the network "
                        + "with `make network-up`, set FUSIONLEDGER_NETWORK_DIR, or pass --profile)", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("profile: " + path + ": " + e.getMessage(), e);
            }
            try {
                ConnectionProfile.Organization o = org == null ? p.organizations().get(0) : p.organization(org);
                ConnectionProfile.user(o, user);
                return FusionLedgerClient.builder().profile(p).organization(o.mspId()).user(user)
                        .endorseRetries(endorseRetries, java.time.Duration.ofMillis(200)).connect();
            } catch (NoSuchFileException e) {
                throw new ConfigException(e.getReason() == null ? "file not found: " + e.getFile()
                        : e.getReason() + ": " + e.getFile(), e);
            } catch (IllegalArgumentException | IOException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        };
    }

    /** Wrong profile, organisation, user or identity files (exit code {@value ExitCodes#CONFIG}). */
    final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
