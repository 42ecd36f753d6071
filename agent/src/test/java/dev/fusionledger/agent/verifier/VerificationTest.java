package dev.fusionledger.agent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.fusionledger.agent.model.ModelOutputs;
import dev.fusionledger.agent.data.LabelledSamples;
import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.PortableManifest;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.server.FusionServer;
import dev.fusionledger.fusion.server.ModelStore;
import dev.fusionledger.fusion.server.ServerLimits;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's contribution measure (docs/fusion.md) on a synthetic task where the truth is known,
 * through a real fusion engine in process: three honest models each know four of the ten classes;
 * a random model's scores are pure noise; an exact copy of model 0 and a noisy copy of model 1 are
 * submitted after their originals. The copies and the random model must add nothing.
 */
class VerificationTest {
    private static final SyntheticTask TASK = new SyntheticTask(3, 10, 10, 4, 3f, 0.5f, 17);
    private static final List<Integer> ALL = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private static FusionServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void engine(@TempDir Path models) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = new FusionServer(InProcessServerBuilder.forName(name), new ModelStore(models),
                ServerLimits.defaults()).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown(5, TimeUnit.SECONDS);
    }

    /** Honest 0..2, random (3), exact copy of 0 (4), noisy copy of 1 (5): [N x 10] scores each. */
    private static List<float[]> models(FusionData honest, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> m = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            m.add(honest.features(i));
        }
        float[] random = new float[honest.rows() * 10];
        for (int j = 0; j < random.length; j++) {
            random[j] = (float) rng.nextGaussian();
        }
        m.add(random);
        m.add(honest.features(0));
        float[] noisy = honest.features(1);
        for (int j = 0; j < noisy.length; j++) {
            noisy[j] *= (float) (1 + 0.01 * rng.nextGaussian()); // 1 % noise on every output
        }
        m.add(noisy);
        return m;
    }

    private static List<Integer> declared(int model) {
        int own = model == 4 ? 0 : model == 5 ? 1 : model;
        if (own == 3) {
            return ALL; // the random model claims every digit
        }
        List<Integer> d = new ArrayList<>();
        for (int c : TASK.subset(own)) {
            d.add(c);
        }
        return d.stream().sorted().toList();
    }

    @Test
    void copiesAndRandomModelsAddNothingAndAreNotFused() throws Exception {
        FusionData train = TASK.sample(1500, 1);
        FusionData test = TASK.sample(800, 2);
        List<float[]> tr = models(train, 3);
        List<float[]> te = models(test, 4);
        List<Verification.Scored> scored = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // a synthetic model's 10 scores serve as its features too
            scored.add(Verification.Scored.of("acct" + i, "synthetic", declared(i), new ModelOutputs(tr.get(i), tr.get(i)),
                    new ModelOutputs(te.get(i), te.get(i)), test.labels(), 10));
        }
        Verification v = new Verification(new FusionClient(channel, 60), new Verification.Config(20, 0.01f, 10, 20, 0.97, 5));
        Verification.Report rep = v.assess(scored, 10, 8000, train.labels(), test.labels(), System.nanoTime());
        List<Verification.ModelFinding> f = rep.models();

        assertThat(f).extracting(Verification.ModelFinding::duplicateOf)
                .containsExactly(null, null, null, null, "acct0", "acct1");
        assertThat(f).extracting(Verification.ModelFinding::eligible)
                .containsExactly(true, true, true, false, false, false);
        for (int i = 0; i < 3; i++) {
            assertThat(f.get(i).ownAccuracy()).as("honest %d own accuracy", i).isGreaterThan(0.9);
            assertThat(f.get(i).contribution()).as("honest %d contribution", i).isGreaterThan(0.1);
        }
        assertThat(f.get(3).ownAccuracy()).as("random model's own accuracy").isLessThan(0.2);
        assertThat(f.get(3).contribution()).as("random model's contribution").isCloseTo(0, offset(0.02));
        assertThat(f.get(4).contribution()).isZero();
        assertThat(f.get(5).contribution()).isZero();
        assertThat(f.get(4).ownAccuracy()).isEqualTo(f.get(0).ownAccuracy());
        // the fusion of the honest models solves what no single one can, and the curve rises
        assertThat(rep.fitness()).isGreaterThan(0.9);
        assertThat(f.get(0).prefixII()).isLessThan(0.6);
        assertThat(f.get(2).prefixII()).isEqualTo(rep.fitness());
        assertThat(f.get(3).prefixII()).isNaN();
        assertThat(rep.fusedI()).isGreaterThan(0.9);
    }

    @Test
    void withoutAnEligibleModelTheFitnessIsZero() throws Exception {
        FusionData train = TASK.sample(300, 5);
        FusionData test = TASK.sample(200, 6);
        List<Verification.Scored> scored = List.of(Verification.Scored.of("a", "synthetic", ALL,
                new ModelOutputs(train.features(0), train.features(0)),
                new ModelOutputs(test.features(0), test.features(0)), test.labels(), 10));
        Verification v = new Verification(new FusionClient(channel, 60), new Verification.Config(4, 0.01f, 4, 2, 0.97, 5));
        // a model of four classes scored on all ten misses the 8000 bps minimum
        Verification.Report rep = v.assess(scored, 10, 8000, train.labels(), test.labels(), System.nanoTime());
        assertThat(rep.fusedII()).isNaN();
        assertThat(rep.fitness()).isZero();
        assertThat(rep.models().get(0).eligible()).isFalse();
    }

    /**
     * Packages a verifier cannot use (missing from the store, not a package, labels not the task's)
     * get 0 on every criterion and the others are verified as usual: a vote against, never a crash.
     */
    @Test
    void unusablePackagesAreVotedDownWithoutStoppingTheVerification() throws Exception {
        Path fixtures = Path.of(System.getProperty("fusionledger.fixtures", "target/fixtures"));
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        byte[] onnx = java.nio.file.Files.readAllBytes(fixtures.resolve("mlp-trained.onnx"));
        byte[] good = ModelPackages.pack(new PortableManifest(PortableManifest.ONNX, List.of(1, 28, 28), null,
                "features", 500, "scores", "softmax", digits, List.of(), null), onnx);
        byte[] otherLabels = ModelPackages.pack(new PortableManifest(PortableManifest.ONNX, List.of(1, 28, 28), null,
                "features", 500, "scores", "softmax", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                List.of(), null), onnx);
        LabelledSamples train = VerificationData.read(fixtures.resolve(VerificationData.FUSION_TRAINING), 10, 784);
        LabelledSamples test = VerificationData.read(fixtures.resolve(VerificationData.VERIFICATION), 10, 784);
        Verification v = new Verification(new FusionClient(channel, 120), new Verification.Config(4, 0.002f, 4, 4, 0.97, 5));
        Verification.Report rep = v.verify(List.of(new Verification.Submission("Org1MSP::good", good),
                new Verification.Submission("Org1MSP::missing", null, "model 00ab not in the store"),
                new Verification.Submission("Org1MSP::garbage", "PK junk".getBytes()),
                new Verification.Submission("Org1MSP::labels", otherLabels)), digits, 8000, train, test);
        List<Verification.ModelFinding> f = rep.models();
        assertThat(f).extracting(Verification.ModelFinding::account)
                .containsExactly("Org1MSP::good", "Org1MSP::missing", "Org1MSP::garbage", "Org1MSP::labels");
        assertThat(f.get(0).problem()).isNull();
        assertThat(f.get(0).eligible()).isTrue();
        assertThat(f.get(0).ownAccuracy()).isGreaterThan(0.9);
        assertThat(f.get(1).problem()).contains("not in the store");
        assertThat(f.get(2).problem()).contains("model package");
        assertThat(f.get(3).problem()).contains("are not the task's");
        for (int i = 1; i < 4; i++) {
            assertThat(f.get(i).eligible()).isFalse();
            assertThat(f.get(i).ownAccuracy()).isZero();
            assertThat(f.get(i).contribution()).isZero();
            assertThat(f.get(i).duplicateOf()).isNull();
        }
        assertThat(rep.fitness()).isGreaterThan(0.8);
        assertThat(VerifierRole.votes(rep)).extracting(dev.fusionledger.ledger.VoteEntry::ownAccuracyBps)
                .containsExactly(VerifierRole.bps(f.get(0).ownAccuracy()), 0, 0, 0);
    }

    @Test
    void fusionDataRejectsMisshapedFeatures() {
        assertThatThrownBy(() -> new FusionClient.Data(List.of(new float[25]), new int[3]))
                .hasMessage("features[0]: must be [3 x |f_i|] with |f_i| >= 1, got 25 values");
        assertThat(new FusionClient.Data(List.of(new float[1500]), new int[3]).featureSize(0)).isEqualTo(500);
    }

    @Test
    void helpersAndConfigRanges() {
        assertThat(ModelOutputs.predictions(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 5}, 10))
                .containsExactly(1, 0);
        assertThatThrownBy(() -> ModelOutputs.predictions(new float[11], 10)).hasMessageContaining("not a multiple of 10");
        assertThat(Verification.agreement(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        assertThat(Verification.accuracy(new int[] {1, 2, 3}, new int[] {1, 5, 3}, List.of(1, 5))).isEqualTo(0.5);
        assertThat(Verification.accuracy(new int[] {1}, new int[] {1}, List.of(7))).isNaN();
        assertThatThrownBy(() -> new Verification.Config(1, 0.01f, 4, 2, 0.97, 5)).hasMessageStartingWith("fusionEpochs:");
        assertThatThrownBy(() -> new Verification.Config(4, 0.01f, 4, 2, 0.5, 5))
                .hasMessageStartingWith("duplicateAgreement: must be in (0.5, 1]");
        assertThatThrownBy(() -> new Verification(null, new Verification.Config(4, 0.01f, 4, 2, 0.97, 5))
                .verify(List.of(), List.of("0"), 0, null, null))
                .hasMessageStartingWith("submissions:");
    }
}
