package dev.fusionledger.demo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTest {

    static MnistDigits data;
    static Partition p;

    @BeforeAll
    static void setUp() throws IOException {
        data = MnistDigits.loadDefault();
        p = Partition.create(data, PartitionSpec.tableII(), 42);
    }

    @Test
    void hasTableIISplitsWithTheirSizesAndDigits() {
        assertThat(p.splits()).extracting(Split::name).containsExactly(
                "verifiers/fusion-training", "verifiers/test", "verifiers/verification",
                "C1/training", "C1/test", "C2/training", "C2/test", "C3/training", "C3/test",
                "C4/training", "C4/test", "C5/training", "C5/test");
        assertThat(p.fusionTraining().size()).isEqualTo(2000);
        assertThat(p.verifierTest().size()).isEqualTo(500);
        assertThat(p.verification().size()).isEqualTo(1000);
        Map<String, List<Integer>> digits = Map.of("C1", List.of(0, 1, 2, 3, 4), "C2", List.of(0, 1, 2, 8, 9),
                "C3", List.of(0, 6, 7, 8, 9), "C4", List.of(0, 1, 5, 7, 8, 9), "C5", List.of(5, 6, 7, 8, 9));
        assertThat(p.contributorIds()).containsExactly("C1", "C2", "C3", "C4", "C5");
        for (var e : digits.entrySet()) {
            for (Split s : List.of(p.training(e.getKey()), p.test(e.getKey()))) {
                assertThat(s.size()).isEqualTo(s.role().equals("training") ? 500 : 200);
                int[] c = s.countsPerDigit(data);
                for (int d = 0; d < 10; d++) {
                    assertThat(c[d] > 0).as("%s digit %d", s.name(), d).isEqualTo(e.getValue().contains(d));
                }
            }
        }
    }

    @Test
    void splitsAreDisjoint() {
        BitSet used = new BitSet();
        int total = 0;
        for (Split s : p.splits()) {
            for (int i : s.indices()) {
                assertThat(used.get(i)).as("image %d in %s already used", i, s.name()).isFalse();
                used.set(i);
            }
            total += s.size();
        }
        assertThat(used.cardinality()).isEqualTo(total).isEqualTo(7000);
    }

    @Test
    void splitsAreStratifiedByTheDigitFrequencies() {
        for (Split s : p.splits()) {
            int[] c = s.countsPerDigit(data);
            long among = s.digits().stream().mapToLong(data::count).sum();
            for (int d : s.digits()) {
                double expected = (double) s.size() * data.count(d) / among;
                assertThat((double) c[d]).as("%s digit %d", s.name(), d).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(1.0));
            }
        }
    }

    @Test
    void sameSeedGivesSamePartitionOtherSeedAnother() {
        Partition again = Partition.create(data, PartitionSpec.tableII(), 42);
        Partition other = Partition.create(data, PartitionSpec.tableII(), 43);
        assertThat(again.manifestJson(data)).isEqualTo(p.manifestJson(data));
        for (Split s : p.splits()) {
            assertThat(other.split(s.name()).indices()).as(s.name()).isNotEqualTo(s.indices());
            assertThat(other.split(s.name()).countsPerDigit(data)).isEqualTo(s.countsPerDigit(data));
        }
        assertThat(other.verification().sha256(data)).isNotEqualTo(p.verification().sha256(data));
    }

    @Test
    void sha256IsTheHashOfTheSplitsBytes() throws Exception {
        Split v = p.verification();
        byte[] bytes = v.toBytes(data);
        assertThat(bytes).hasSize(1000 * Split.BYTES_PER_IMAGE);
        int first = v.indices()[0];
        assertThat(bytes[0]).isEqualTo((byte) data.label(first));
        float[] img = new float[784];
        data.copyImage(first, img, 0);
        assertThat(java.nio.ByteBuffer.wrap(bytes).getFloat(1 + 4 * 400)).isEqualTo(img[400]);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(v.sha256(data)).isEqualTo(hex).hasSize(64);
    }

    @Test
    void manifestRoundTripsAndCatchesTampering(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/partition.json");
        p.writeManifest(data, file);
        Partition back = Partition.readManifest(file, data);
        assertThat(back.splits()).isEqualTo(p.splits());
        assertThat(back.seed()).isEqualTo(42);

        ObjectMapper om = new ObjectMapper();
        JsonNode root = om.readTree(file.toFile());
        assertThat(root.get("splits").get(2).get("sha256").asText()).isEqualTo(p.verification().sha256(data));
        assertThat(root.get("splits").get(2).get("countsPerDigit")).hasSize(10);
        ObjectNode split = (ObjectNode) root.get("splits").get(2);
        split.put("sha256", "00".repeat(32));
        Path bad = dir.resolve("bad.json");
        om.writeValue(bad.toFile(), root);
        assertThatThrownBy(() -> Partition.readManifest(bad, data)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("verifiers/verification").hasMessageContaining("SHA-256");

        JsonNode root2 = om.readTree(file.toFile());
        int stolen = root2.get("splits").get(0).get("indices").get(0).asInt();
        ((com.fasterxml.jackson.databind.node.ArrayNode) root2.get("splits").get(3).get("indices")).set(0, stolen);
        Files.delete(bad);
        om.writeValue(bad.toFile(), root2);
        assertThatThrownBy(() -> Partition.readManifest(bad, data)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("C1/training").hasMessageContaining("another split");
    }

    @Test
    void tooLargeSpecIsRefusedNamingSplitAndDigit() {
        PartitionSpec big = new PartitionSpec(9000, 500, 1000, PartitionSpec.tableII().contributors());
        assertThatThrownBy(() -> Partition.create(data, big, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verifiers/").hasMessageContaining("digit").hasMessageContaining("remain");
    }

    @Test
    void scaledSpecKeepsTheStructure() {
        PartitionSpec small = PartitionSpec.tableII().scaled(0.1);
        assertThat(small.fusionTraining()).isEqualTo(200);
        assertThat(small.contributors().get(3).training()).isEqualTo(50);
        assertThat(small.contributors().get(3).digits()).containsExactly(0, 1, 5, 7, 8, 9);
        assertThat(PartitionSpec.tableII().totalImages()).isEqualTo(7000);
        assertThatThrownBy(() -> PartitionSpec.tableII().scaled(0)).hasMessageContaining("fraction must be in (0, 1]");
        assertThatThrownBy(() -> new ContributorSpec("C9", List.of(3, 11), 5, 5))
                .hasMessageContaining("digit 11 is outside [0, 9]");
        assertThatThrownBy(() -> p.split("C7/training")).hasMessageContaining("no split named C7/training");
    }
}
