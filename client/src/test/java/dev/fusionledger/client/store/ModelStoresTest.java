package dev.fusionledger.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.ConnectionProfile.ModelStoreEndpoint;
import dev.fusionledger.client.ConnectionProfile.Organization;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoresTest {
    private static ConnectionProfile profile(ModelStoreEndpoint org1, ModelStoreEndpoint org2) {
        return new ConnectionProfile(1, "test", "ch", "cc", "/tmp", List.of(
                new Organization("Org1MSP", "org1.example.com", List.of(), Map.of(), org1),
                new Organization("Org2MSP", "org2.example.com", List.of(), Map.of(), org2)));
    }

    @Test
    void eachOrganisationGetsTheNodeItsProfileEntryNames(@TempDir Path dir) throws Exception {
        ConnectionProfile p = profile(new ModelStoreEndpoint("ipfs", "http://127.0.0.1:23195", "p1"),
                new ModelStoreEndpoint("ipfs", "http://127.0.0.1:23196/", "p2"));
        assertThat(ModelStores.ipfs(p, "Org1").api()).isEqualTo(URI.create("http://127.0.0.1:23195"));
        assertThat(ModelStores.ipfs(p, "Org2MSP").api()).isEqualTo(URI.create("http://127.0.0.1:23196"));
        ModelStore s = ModelStores.forOrganization(p, "Org2", dir);
        assertThat(s).isInstanceOf(IpfsModelStore.class);
        assertThat(((IpfsModelStore) s).api()).isEqualTo(URI.create("http://127.0.0.1:23196"));
    }

    @Test
    void withoutAnIpfsNodeTheLocalDirectoryStoreIsUsed(@TempDir Path dir) throws Exception {
        ConnectionProfile p = profile(null, new ModelStoreEndpoint("s3", "http://127.0.0.1:9000", null));
        assertThat(ModelStores.ipfs(p, "Org1")).isNull();
        assertThat(ModelStores.ipfs(p, "Org2")).isNull();
        ModelStore s = ModelStores.forOrganization(p, "Org1", dir.resolve("models"));
        assertThat(s).isInstanceOf(LocalModelStore.class);
        String id = s.put(new byte[] {1, 2, 3}, new ModelManifest(ModelFormat.DJL, List.of(1), 1, List.of("a")));
        assertThat(ModelStores.forOrganization(p, "Org2", dir.resolve("models")).contains(id)).isTrue();
    }

    @Test
    void badEntriesAreRefusedNamingTheField() {
        ConnectionProfile p = profile(new ModelStoreEndpoint("ipfs", null, null),
                new ModelStoreEndpoint("ipfs", "ftp://host", null));
        assertThatThrownBy(() -> ModelStores.ipfs(p, "Org1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api");
        assertThatThrownBy(() -> ModelStores.ipfs(p, "Org2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api");
        assertThatThrownBy(() -> ModelStores.ipfs(p, "Org3")).isInstanceOf(IllegalArgumentException.class);
    }
}
