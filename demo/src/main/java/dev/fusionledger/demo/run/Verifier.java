package dev.fusionledger.demo.run;

import dev.fusionledger.demo.model.CnnArchitecture;
import dev.fusionledger.demo.model.CnnModel;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one verifier computes from the final models of a task (docs/fusion.md): each model's
 * upper-layer features and output scores on the verifiers' fusion-training and verification images,
 * the Strategy I and II fusions of the features (the fused model and its fitness), the accuracy
 * after fusing models 1..k in submission order (Mendis et al. Fig. 7/9), each model's own accuracy
 * on its declared labels (Fig. 6/8), and its null-relative marginal contribution on the output
 * scores. Every verifier of a task computes the same numbers from the same inputs: the nulls are
 * seeded from the task id.
 */
public final class Verifier {
    private static final List<Integer> ALL_DIGITS = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    /**
     * How the verifier fuses and scores.
     *
     * @param fusionEpochs epochs of the feature fusion (Strategy I; Strategy II half per stage), 2..10000
     * @param fusionLearningRate Adam step of the feature fusion, (0, 10]
     * @param contributionEpochs epochs of each output-score fusion of the contribution game, 2..10000
     * @param contributionRuns fusion seeds the null-relative marginal is averaged over, 1..20
     * @param seed seeds the fusions
     */
    public record Config(int fusionEpochs, float fusionLearningRate, int contributionEpochs, int contributionRuns,
            long seed) {
        /** @throws IllegalArgumentException naming the field and its range */
        public Config {
            if (fusionEpochs < 2 || fusionEpochs > 10000) {
                throw new IllegalArgumentException("fusionEpochs: must be in 2..10000, got " + fusionEpochs);
            }
            if (!(fusionLearningRate > 0 && fusionLearningRate <= 10)) {
                throw new IllegalArgumentException("fusionLearningRate: must be in (0, 10], got " + fusionLearningRate);
            }
            if (contributionEpochs < 2 || contributionEpochs > 10000) {
                throw new IllegalArgumentException("contributionEpochs: must be in 2..10000, got " + contributionEpochs);
            }
            if (contributionRuns < 1 || contributionRuns > 20) {
                throw new IllegalArgumentException("contributionRuns: must be in 1..20, got " + contributionRuns);
            }
        }
    }

    /** One final model as the verifier received it, in submission order. */
    public record Submission(String account, byte[] artifact) {}

    /**
     * The verifier's findings for one model.
     *
     * @param account the contributor's account
     * @param architecture the manifest's architecture
     * @param declaredDigits the digits its manifest says it was trained on (all ten if none)
     * @param ownAccuracy accuracy on the verification images of its declared digits, [0, 1] (Fig. 6/8)
     * @param allAccuracy accuracy on all verification images, [0, 1]
     * @param prefixI fused accuracy (Strategy I, features) of models 1..k, k = this one (Fig. 7/9)
     * @param prefixII the same for Strategy II
     * @param contribution null-relative marginal contribution on the output scores, mean over the
     *     runs, accuracy fraction in [-1, 1]: v(1..k) - v(1..k-1 + null_k)
     */
    public record ModelFinding(String account, String architecture, List<Integer> declaredDigits, double ownAccuracy,
            double allAccuracy, double prefixI, double prefixII, double contribution) {}

    /**
     * Everything one verification computed.
     *
     * @param fusedI the Strategy I fusion of all models' features, evaluated on the verification split
     * @param fusedII the Strategy II fusion; its accuracy is every contributor's fitness
     * @param models one finding per submission, submission order
     * @param seconds wall time of the verification
     */
    public record Report(FusionClient.Fused fusedI, FusionClient.Fused fusedII, List<ModelFinding> models,
            double seconds) {}

    private final FusionClient fusion;
    private final Config config;

    /**
     * @param fusion a client of the verifier's fusion engine
     * @param config how to fuse and score
     */
    public Verifier(FusionClient fusion, Config config) {
        this.fusion = fusion;
        this.config = config;
    }

    /**
     * Verifies the final models of task {@code taskId}.
     *
     * @param taskId the task (seeds the nulls)
     * @param submissions final models, submission order, at least one
     * @param fusionX [N x 784] the verifiers' fusion-training images, grey levels in [0, 1]
     * @param fusionY [N] their labels 0..9
     * @param verificationX [M x 784] the verification images (the task's verification data)
     * @param verificationY [M] their labels
     * @throws IllegalArgumentException if an artifact is not a valid model (message names the field)
     *     or there is no submission
     * @throws InterruptedException if interrupted while waiting for the fusion engine
     * @throws io.grpc.StatusRuntimeException if the fusion engine rejects a call
     */
    public Report verify(String taskId, List<Submission> submissions, float[] fusionX, int[] fusionY,
            float[] verificationX, int[] verificationY) throws InterruptedException {
        if (submissions.isEmpty()) {
            throw new IllegalArgumentException("submissions: at least one final model is needed");
        }
        long t0 = System.nanoTime();
        List<float[]> featTrain = new ArrayList<>();
        List<float[]> featTest = new ArrayList<>();
        List<float[]> scoreTrain = new ArrayList<>();
        List<float[]> scoreTest = new ArrayList<>();
        List<float[]> nullTrain = new ArrayList<>();
        List<float[]> nullTest = new ArrayList<>();
        List<String> archs = new ArrayList<>();
        List<List<Integer>> digits = new ArrayList<>();
        List<double[]> accuracy = new ArrayList<>();
        Map<CnnArchitecture, float[][]> nulls = new LinkedHashMap<>();
        long nullSeed = nullSeed(taskId);
        for (Submission s : submissions) {
            try (CnnModel m = CnnModel.fromArtifact(s.artifact())) {
                List<Integer> declared = m.manifest().trainedDigits().isEmpty() ? ALL_DIGITS
                        : m.manifest().trainedDigits();
                digits.add(declared);
                archs.add(m.architecture().name());
                featTrain.add(m.features(fusionX));
                featTest.add(m.features(verificationX));
                scoreTrain.add(m.scoresFlat(fusionX));
                scoreTest.add(m.scoresFlat(verificationX));
                accuracy.add(new double[] {m.accuracy(verificationX, verificationY, declared),
                    m.accuracy(verificationX, verificationY)});
                float[][] n = nulls.computeIfAbsent(m.architecture(), a -> {
                    try (CnnModel fresh = CnnModel.untrained(a, nullSeed + a.ordinal())) {
                        return new float[][] {fresh.scoresFlat(fusionX), fresh.scoresFlat(verificationX)};
                    }
                });
                nullTrain.add(n[0]);
                nullTest.add(n[1]);
            }
        }
        FusionClient.Data train = new FusionClient.Data(featTrain, fusionY);
        FusionClient.Data test = new FusionClient.Data(featTest, verificationY);
        FusionClient.Fused fusedI = fusion.trainAndEvaluate(featureConfig(Strategy.STRATEGY_I), train, test);
        FusionClient.Fused fusedII = fusion.trainAndEvaluate(featureConfig(Strategy.STRATEGY_II), train, test);
        ScoreContributionsResponse curveI = fusion.prefixes(featureConfig(Strategy.STRATEGY_I), train, test, null);
        ScoreContributionsResponse curveII = fusion.prefixes(featureConfig(Strategy.STRATEGY_II), train, test, null);
        FusionClient.Data scoresTrain = new FusionClient.Data(scoreTrain, fusionY);
        FusionClient.Data scoresTest = new FusionClient.Data(scoreTest, verificationY);
        FusionClient.Nulls nullData = new FusionClient.Nulls(new FusionClient.Data(nullTrain, fusionY),
                new FusionClient.Data(nullTest, verificationY));
        int n = submissions.size();
        double[] contribution = new double[n];
        for (int r = 0; r < config.contributionRuns(); r++) {
            ScoreContributionsResponse c = fusion.prefixes(FusionClient.config(Strategy.STRATEGY_II,
                    config.contributionEpochs(), 0.01f, config.seed() + r), scoresTrain, scoresTest, nullData);
            for (int i = 0; i < n; i++) {
                contribution[i] += c.getNullMarginal(i) / config.contributionRuns();
            }
        }
        List<ModelFinding> findings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            findings.add(new ModelFinding(submissions.get(i).account(), archs.get(i), digits.get(i),
                    accuracy.get(i)[0], accuracy.get(i)[1], curveI.getPrefixAccuracy(i), curveII.getPrefixAccuracy(i),
                    contribution[i]));
        }
        return new Report(fusedI, fusedII, findings, (System.nanoTime() - t0) / 1e9);
    }

    private dev.fusionledger.proto.fusion.v1.TrainConfig featureConfig(Strategy s) {
        return FusionClient.config(s, config.fusionEpochs(), config.fusionLearningRate(), config.seed());
    }

    /** The seed of task {@code taskId}'s null networks: the first 8 bytes of SHA-256(taskId), big-endian. */
    static long nullSeed(String taskId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
