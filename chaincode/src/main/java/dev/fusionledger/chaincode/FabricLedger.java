package dev.fusionledger.chaincode;

import dev.fusionledger.chaincode.market.Ledger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * The market's {@link Ledger} port over a Fabric {@link ChaincodeStub} and {@link ClientIdentity}.
 * Account id = {@code mspId + "::" + ClientIdentity.getId()}; admin = the certificate subject
 * carries {@code OU=admin} (Fabric NodeOU admin role).
 */
final class FabricLedger implements Ledger {
    private final ChaincodeStub stub;
    private final ClientIdentity identity;

    FabricLedger(Context ctx) {
        this.stub = ctx.getStub();
        this.identity = ctx.getClientIdentity();
    }

    @Override
    public byte[] get(String key) {
        byte[] b = stub.getState(key);
        return b == null || b.length == 0 ? null : b;
    }

    @Override
    public void put(String key, byte[] value) {
        stub.putState(key, value);
    }

    @Override
    public void delete(String key) {
        stub.delState(key);
    }

    @Override
    public String compositeKey(String objectType, String... attributes) {
        return stub.createCompositeKey(objectType, attributes).toString();
    }

    @Override
    public List<Entry> range(String objectType, String... partialAttributes) {
        List<Entry> out = new ArrayList<>();
        QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey(objectType, partialAttributes);
        try {
            for (KeyValue kv : it) {
                out.add(new Entry(kv.getKey(), kv.getValue()));
            }
        } finally {
            close(it);
        }
        return out;
    }

    @Override
    public List<HistoryRecord> history(String key) {
        List<HistoryRecord> out = new ArrayList<>();
        QueryResultsIterator<KeyModification> it = stub.getHistoryForKey(key);
        try {
            for (KeyModification m : it) {
                out.add(new HistoryRecord(m.getTxId(), m.getTimestamp().getEpochSecond(), m.isDeleted(), m.getValue()));
            }
        } finally {
            close(it);
        }
        // Fabric returns newest first; the API promises oldest first.
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public long txTime() {
        return stub.getTxTimestamp().getEpochSecond();
    }

    @Override
    public String txId() {
        return stub.getTxId();
    }

    @Override
    public Caller caller() {
        String msp = identity.getMSPID();
        return new Caller(msp + "::" + identity.getId(), msp, isAdmin(identity.getX509Certificate()));
    }

    @Override
    public void setEvent(String name, byte[] payload) {
        stub.setEvent(name, payload);
    }

    static boolean isAdmin(X509Certificate cert) {
        if (cert == null) {
            return false;
        }
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU") && "admin".equals(String.valueOf(rdn.getValue()))) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return false;
    }

    private static void close(QueryResultsIterator<?> it) {
        try {
            it.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close a ledger iterator", e);
        }
    }
}
