package dev.fusionledger.client.store;

import dev.fusionledger.client.ConnectionProfile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Which model store a party of an organisation uses (docs/model-store.md, "Stores"): the IPFS node
 * the connection profile names for its organisation ({@code organizations[].modelStore} of type
 * {@code ipfs}), else a local directory store. One rule for the CLI, the agents and the demo.
 */
public final class ModelStores {
    private ModelStores() {}

    /**
     * The IPFS store of {@code org} in {@code profile}, or null when the profile names no IPFS node
     * for it.
     *
     * @param org the organisation's name or MSP id (as {@link ConnectionProfile#organization})
     * @throws IllegalArgumentException naming {@code org} when the profile has no such organisation,
     *     or naming {@code api} when the node's API is not an http(s) URI
     */
    public static IpfsModelStore ipfs(ConnectionProfile profile, String org) {
        ConnectionProfile.Organization o = profile.organization(org);
        if (o.modelStore() == null || !"ipfs".equals(o.modelStore().type())) {
            return null;
        }
        if (o.modelStore().api() == null) {
            throw new IllegalArgumentException("api: the profile's modelStore of " + o.mspId() + " names no API URL");
        }
        return new IpfsModelStore(URI.create(o.modelStore().api()));
    }

    /**
     * The store of a party of {@code org}: its organisation's IPFS node ({@link #ipfs}), else a
     * {@link LocalModelStore} in {@code fallbackDir}.
     *
     * @throws IllegalArgumentException as {@link #ipfs}
     * @throws IOException when {@code fallbackDir} cannot be created
     */
    public static ModelStore forOrganization(ConnectionProfile profile, String org, Path fallbackDir) throws IOException {
        ModelStore ipfs = ipfs(profile, org);
        return ipfs != null ? ipfs : new LocalModelStore(fallbackDir);
    }
}
