package dev.fusionledger.client;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/** Builder of Gateway-backed clients; see {@link FusionLedgerClient.Builder}. */
final class ClientBuilder implements FusionLedgerClient.Builder {
    private ConnectionProfile profile;
    private String organization;
    private String user = "User1";
    private String endpoint;
    private Path tlsCaCert;
    private String hostnameOverride;
    private String mspId;
    private Path certificate;
    private Path privateKey;
    private String channel;
    private String chaincode;
    private Deadlines deadlines = Deadlines.defaults();
    private Duration resubmitEvery = Duration.ofSeconds(10);
    private int maxAttempts = 5;
    private Duration backoff = Duration.ofMillis(100);
    private int endorseRetries;
    private Duration endorsePause = Duration.ofMillis(200);

    @Override
    public ClientBuilder profile(ConnectionProfile profile) {
        this.profile = profile;
        return this;
    }

    @Override
    public ClientBuilder organization(String organization) {
        this.organization = organization;
        return this;
    }

    @Override
    public ClientBuilder user(String user) {
        this.user = user;
        return this;
    }

    @Override
    public ClientBuilder endpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    @Override
    public ClientBuilder tlsCaCert(Path pem) {
        this.tlsCaCert = pem;
        return this;
    }

    @Override
    public ClientBuilder hostnameOverride(String hostname) {
        this.hostnameOverride = hostname;
        return this;
    }

    @Override
    public ClientBuilder mspId(String mspId) {
        this.mspId = mspId;
        return this;
    }

    @Override
    public ClientBuilder certificate(Path pem) {
        this.certificate = pem;
        return this;
    }

    @Override
    public ClientBuilder privateKey(Path pem) {
        this.privateKey = pem;
        return this;
    }

    @Override
    public ClientBuilder channel(String channel) {
        this.channel = channel;
        return this;
    }

    @Override
    public ClientBuilder chaincode(String chaincode) {
        this.chaincode = chaincode;
        return this;
    }

    @Override
    public ClientBuilder deadlines(Deadlines deadlines) {
        this.deadlines = java.util.Objects.requireNonNull(deadlines, "deadlines");
        return this;
    }

    @Override
    public ClientBuilder mvccRetry(int maxAttempts, Duration backoff) {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts: must be in 1..20, got " + maxAttempts);
        }
        if (backoff == null || backoff.isNegative() || backoff.toMillis() > 60_000) {
            throw new IllegalArgumentException("backoff: must be in 0..60 s, got " + backoff);
        }
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        return this;
    }

    @Override
    public ClientBuilder resubmitEvery(Duration interval) {
        if (interval == null || interval.toMillis() < 1000 || interval.toMillis() > 600_000) {
            throw new IllegalArgumentException("resubmitEvery: must be in 1..600 s, got " + interval);
        }
        this.resubmitEvery = interval;
        return this;
    }

    @Override
    public ClientBuilder endorseRetries(int retries, Duration pause) {
        if (retries < 0 || retries > 50) {
            throw new IllegalArgumentException("endorseRetries: must be in 0..50, got " + retries);
        }
        if (pause == null || pause.isNegative() || pause.toMillis() > 60_000) {
            throw new IllegalArgumentException("pause: must be in 0..60 s, got " + pause);
        }
        this.endorseRetries = retries;
        this.endorsePause = pause;
        return this;
    }

    /** Fills unset settings from the profile. */
    private void resolveFromProfile() {
        if (profile == null) {
            return;
        }
        ConnectionProfile.Organization org = organization == null ? profile.organizations().get(0)
                : profile.organization(organization);
        ConnectionProfile.User u = ConnectionProfile.user(org, user);
        if (org.peers() == null || org.peers().isEmpty()) {
            throw new IllegalArgumentException("profile: organisation " + org.mspId() + " lists no peers");
        }
        ConnectionProfile.Peer peer = org.peers().get(0);
        if (endpoint == null) {
            endpoint = peer.endpoint();
            if (hostnameOverride == null) {
                hostnameOverride = peer.hostnameOverride();
            }
        }
        if (tlsCaCert == null && peer.tlsCaCert() != null) {
            tlsCaCert = Path.of(peer.tlsCaCert());
        }
        if (mspId == null) {
            mspId = org.mspId();
        }
        if (certificate == null) {
            certificate = Path.of(u.certificate());
        }
        if (privateKey == null) {
            privateKey = Path.of(u.privateKey());
        }
        if (channel == null) {
            channel = profile.channel();
        }
        if (chaincode == null) {
            chaincode = profile.chaincode();
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException(field + ": required (set it, or give a connection profile)");
        }
        return value;
    }

    @Override
    public FusionLedgerClient connect() throws IOException {
        resolveFromProfile();
        required("endpoint", endpoint);
        required("tlsCaCert", tlsCaCert);
        required("mspId", mspId);
        required("certificate", certificate);
        required("privateKey", privateKey);
        String ch = channel == null ? "fusionledger" : channel;
        String cc = chaincode == null ? "fusionledger" : chaincode;

        X509Certificate cert;
        PrivateKey key;
        try (Reader r = open("certificate", certificate)) {
            cert = Identities.readX509Certificate(r);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate: " + certificate + " is not a PEM X.509 certificate", e);
        }
        try (Reader r = open("privateKey", privateKey)) {
            key = Identities.readPrivateKey(r);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("privateKey: " + privateKey + " is not a PEM private key", e);
        }
        requireMatchingKey(cert, key);
        if (!Files.isRegularFile(tlsCaCert)) {
            throw new NoSuchFileException(tlsCaCert.toString(), null, "tlsCaCert: file not found");
        }
        ChannelCredentials creds = TlsChannelCredentials.newBuilder().trustManager(tlsCaCert.toFile()).build();
        var cb = Grpc.newChannelBuilder(endpoint, creds);
        if (hostnameOverride != null && !hostnameOverride.isBlank()) {
            cb.overrideAuthority(hostnameOverride);
        }
        ManagedChannel grpc = cb.build();
        try {
            Gateway gateway = Gateway.newInstance()
                    .identity(new X509Identity(mspId, cert))
                    .signer(Signers.newPrivateKeySigner(key))
                    .hash(org.hyperledger.fabric.client.Hash.SHA256)
                    .connection(grpc)
                    .evaluateOptions(after(deadlines.evaluate()))
                    .endorseOptions(after(deadlines.endorse()))
                    .submitOptions(after(deadlines.submit()))
                    .commitStatusOptions(after(deadlines.commitStatus()))
                    .connect();
            return new FusionLedgerClientImpl(new GatewayTransport(grpc, gateway, ch, cc, mspId, maxAttempts, backoff,
                    endorseRetries, endorsePause, endpoint, deadlines.commitStatus(), resubmitEvery));
        } catch (RuntimeException e) {
            grpc.shutdownNow();
            throw e;
        }
    }

    private static UnaryOperator<CallOptions> after(Duration d) {
        return options -> options.withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Signs a probe with {@code key} and verifies it with the certificate's public key, so that a
     * profile whose key belongs to another identity fails here, as a profile problem, instead of at
     * the peers as a signature error.
     *
     * @throws IllegalArgumentException on {@code privateKey} when the key does not match
     */
    private void requireMatchingKey(X509Certificate cert, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        boolean ok;
        try {
            byte[] probe = "fusionledger key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.security.Signature s = java.security.Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            ok = v.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("privateKey: " + privateKey + " does not belong to certificate "
                    + certificate + " (" + cert.getSubjectX500Principal().getName() + ")");
        }
    }

    private static Reader open(String field, Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, field + ": file not found");
        }
        return Files.newBufferedReader(p);
    }
}
