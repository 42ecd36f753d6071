package dev.fusionledger.agent.verifier;

import dev.fusionledger.agent.data.LabelledSamples;
import dev.fusionledger.agent.model.ModelOutputs;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.ModelRunner;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What one verifier computes from the final models of a task (docs/fusion.md):
 * <ol>
 * <li>each model's upper-layer features and class scores on the verifier's fusion-training and
 *     verification samples, its own accuracy on its declared labels (Mendis et al. Fig. 6/8), and
 *     whether it duplicates a model submitted before it (its predictions on the verification samples
 *     agree with that model's on at least {@link Config#duplicateAgreement} of them); a package that
 *     cannot be loaded or run, or whose labels or input size are not the task's, is <em>invalid</em>:
 *     it is voted 0 on every criterion, never a crash;</li>
 * <li>the Strategy I and II fusions of the features of the <em>eligible</em> models (valid, not a
 *     duplicate, own accuracy at least the task's minimum): the fused model and every
 *     contributor's fitness; and the fused accuracy after models 1..k of them (Fig. 7/9);</li>
 * <li>each model's contribution: its Shapley value in the fusion of the class scores of the valid
 *     models that are not duplicates; a duplicate's contribution is 0.</li>
 * </ol>
 * Every verifier of a task computes the same numbers from the same inputs.
 */
public final class Verification {
    /**
     * How the verifier fuses and scores.
     *
     * @param fusionEpochs epochs of the feature fusion (Strategy I; Strategy II half per stage), 2..10000
     * @param fusionLearningRate Adam step of the feature fusion, (0, 10]
     * @param contributionEpochs epochs of each output-score fusion of the contribution game, 2..10000
     * @param shapleyPermutations Monte-Carlo permutations of the contribution game, 1..1000
     * @param duplicateAgreement share of the verification images on which two models' predictions
     *     must agree for the later one to count as a duplicate, (0.5, 1]
     * @param seed seeds the fusions and the permutations
     */
    public record Config(int fusionEpochs, float fusionLearningRate, int contributionEpochs, int shapleyPermutations,
            double duplicateAgreement, long seed) {
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
            if (shapleyPermutations < 1 || shapleyPermutations > 1000) {
                throw new IllegalArgumentException("shapleyPermutations: must be in 1..1000, got " + shapleyPermutations);
            }
            if (!(duplicateAgreement > 0.5 && duplicateAgreement <= 1)) {
                throw new IllegalArgumentException("duplicateAgreement: must be in (0.5, 1], got " + duplicateAgreement);
            }
        }
    }

    /**
     * One final model as the verifier received it, in submission order.
     *
     * @param account the contributor's account
     * @param artifact the model package, or null when it could not be fetched
     * @param problem why there is no usable artifact (missing, tampered), or null
     */
    public record Submission(String account, byte[] artifact, String problem) {
        /** A fetched, hash-checked package. */
        public Submission(String account, byte[] artifact) {
            this(account, artifact, null);
        }
    }

    /**
     * The verifier's findings for one model.
     *
     * @param account the contributor's account
     * @param architecture what the package says made it (architecture, producer), or "-" if invalid
     * @param declaredDigits indices of the labels its manifest says it was trained on (all if none)
     * @param ownAccuracy accuracy on the verification samples of its declared labels, [0, 1] (Fig. 6/8)
     * @param allAccuracy accuracy on all verification samples, [0, 1]
     * @param duplicateOf the account of the earlier model it duplicates, or null
     * @param eligible whether it is fused: not a duplicate and own accuracy at least the minimum
     * @param prefixI fused accuracy (Strategy I, features) of the eligible models up to this one
     *     (Fig. 7/9); NaN if it is not eligible
     * @param prefixII the same for Strategy II
     * @param contribution its Shapley value in the output-score fusion of the non-duplicates,
     *     accuracy fraction in [-1, 1]; 0 for a duplicate or an invalid package
     * @param problem why the package is invalid, or null
     */
    public record ModelFinding(String account, String architecture, List<Integer> declaredDigits, double ownAccuracy,
            double allAccuracy, String duplicateOf, boolean eligible, double prefixI, double prefixII,
            double contribution, String problem) {}

    /**
     * Everything one verification computed.
     *
     * @param fusedI accuracy on the verification split of the Strategy I fusion of the eligible
     *     models' features, [0, 1]; NaN if no model is eligible
     * @param fusedII the same for Strategy II: every contributor's fitness
     * @param models one finding per submission, submission order
     * @param seconds wall time of the verification
     */
    public record Report(double fusedI, double fusedII, List<ModelFinding> models, double seconds) {
        /** @return the fitness every contributor gets: the Strategy II fused accuracy, 0 without a fusion */
        public double fitness() {
            return Double.isNaN(fusedII) ? 0 : fusedII;
        }
    }

    private final FusionClient fusion;
    private final Config config;

    /**
     * @param fusion a client of the verifier's fusion engine
     * @param config how to fuse and score
     */
    public Verification(FusionClient fusion, Config config) {
        this.fusion = fusion;
        this.config = config;
    }

    /**
     * One model's outputs on the verifier's samples and its accuracies.
     *
     * @param account the contributor's account
     * @param architecture what made the model
     * @param digits indices of its declared labels
     * @param train its outputs on the fusion-training samples, null if invalid
     * @param test its outputs on the verification samples, null if invalid
     * @param predictions [M] its predicted label index per verification sample, null if invalid
     * @param own accuracy on the verification samples of its declared labels
     * @param all accuracy on all verification samples
     * @param problem why the model is invalid, or null
     */
    record Scored(String account, String architecture, List<Integer> digits, ModelOutputs train,
            ModelOutputs test, int[] predictions, double own, double all, String problem) {
        /** A model's findings from its outputs alone. */
        static Scored of(String account, String architecture, List<Integer> digits, ModelOutputs train,
                ModelOutputs test, int[] verificationLabels, int classes) {
            int[] pred = ModelOutputs.predictions(test.scores(), classes);
            return new Scored(account, architecture, digits, train, test, pred,
                    accuracy(pred, verificationLabels, digits), accuracy(pred, verificationLabels, Verification.all(classes)), null);
        }

        /** A package that cannot be used: 0 on every criterion. */
        static Scored invalid(String account, String problem) {
            return new Scored(account, "-", List.of(), null, null, null, 0, 0, problem);
        }
    }

    /**
     * Verifies the final models of a task.
     *
     * @param submissions final models, submission order, at least one
     * @param labels the task's labels, L of them
     * @param minOwnAccuracyBps the task's minimum own accuracy, basis points 0..10000
     * @param fusionTraining the verifier's fusion-training samples
     * @param verification the task's verification samples (hash-checked)
     * @throws IllegalArgumentException if there is no submission or the two data sets' sample
     *     sizes differ
     * @throws io.grpc.StatusRuntimeException if the fusion engine rejects a call or is unavailable
     */
    public Report verify(List<Submission> submissions, List<String> labels, int minOwnAccuracyBps,
            LabelledSamples fusionTraining, LabelledSamples verification) {
        if (submissions.isEmpty()) {
            throw new IllegalArgumentException("submissions: at least one final model is needed");
        }
        if (fusionTraining.sampleSize() != verification.sampleSize()) {
            throw new IllegalArgumentException("fusion-training samples have " + fusionTraining.sampleSize()
                    + " values each, verification samples " + verification.sampleSize());
        }
        long t0 = System.nanoTime();
        List<Scored> scored = new ArrayList<>();
        for (Submission s : submissions) {
            scored.add(score(s, labels, fusionTraining, verification));
        }
        return assess(scored, labels.size(), minOwnAccuracyBps, fusionTraining.labels(), verification.labels(), t0);
    }

    /** Loads and runs one package; any problem with it makes it invalid, not the verification fail. */
    private static Scored score(Submission s, List<String> labels, LabelledSamples train, LabelledSamples test) {
        if (s.artifact() == null) {
            return Scored.invalid(s.account(), s.problem() == null ? "no model" : s.problem());
        }
        try (ModelRunner m = ModelPackages.load(s.artifact())) {
            if (!m.labels().equals(labels)) {
                return Scored.invalid(s.account(), "labels " + m.labels() + " are not the task's " + labels);
            }
            int size = m.inputShape().stream().reduce(1, Math::multiplyExact);
            if (size != test.sampleSize()) {
                return Scored.invalid(s.account(), "input shape " + m.inputShape() + " has " + size
                        + " values, the task's samples " + test.sampleSize());
            }
            List<Integer> declared = new ArrayList<>();
            for (String l : m.trainedLabels()) {
                declared.add(labels.indexOf(l));
            }
            ModelOutputs tr = m.outputs(train.samples());
            ModelOutputs te = m.outputs(test.samples());
            return Scored.of(s.account(), m.description(), declared.isEmpty() ? all(labels.size()) : declared, tr, te,
                    test.labels(), labels.size());
        } catch (IllegalArgumentException e) {
            return Scored.invalid(s.account(), e.getMessage());
        }
    }

    /**
     * Steps 1-3 of the class comment on models' outputs: duplicates, eligibility, fusion, curves,
     * contributions.
     *
     * @param scored the models' outputs, submission order
     * @param t0 {@link System#nanoTime()} when the verification started
     */
    Report assess(List<Scored> scored, int classes, int minOwnAccuracyBps, int[] fusionY, int[] verificationY,
            long t0) {
        int n = scored.size();
        String[] duplicateOf = new String[n];
        boolean[] eligible = new boolean[n];
        List<Integer> fused = new ArrayList<>();
        List<Integer> distinct = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (scored.get(k).problem() != null) {
                continue;
            }
            for (int j = 0; j < k && duplicateOf[k] == null; j++) {
                if (duplicateOf[j] == null && scored.get(j).problem() == null && agreement(scored.get(k).predictions(), scored.get(j).predictions())
                        >= config.duplicateAgreement()) {
                    duplicateOf[k] = scored.get(j).account();
                }
            }
            if (duplicateOf[k] == null) {
                distinct.add(k);
                eligible[k] = scored.get(k).own() * 10000 >= minOwnAccuracyBps;
                if (eligible[k]) {
                    fused.add(k);
                }
            }
        }
        double fusedI = Double.NaN;
        double fusedII = Double.NaN;
        double[] prefixI = nan(n);
        double[] prefixII = nan(n);
        if (!fused.isEmpty()) {
            FusionClient.Data train = data(scored, fused, true, true, fusionY);
            FusionClient.Data test = data(scored, fused, false, true, verificationY);
            ScoreContributionsResponse curveI = fusion.prefixes(featureConfig(Strategy.STRATEGY_I), classes, train, test);
            ScoreContributionsResponse curveII = fusion.prefixes(featureConfig(Strategy.STRATEGY_II), classes, train, test);
            for (int i = 0; i < fused.size(); i++) {
                prefixI[fused.get(i)] = curveI.getPrefixAccuracy(i);
                prefixII[fused.get(i)] = curveII.getPrefixAccuracy(i);
            }
            fusedI = curveI.getFullAccuracy();
            fusedII = curveII.getFullAccuracy();
        }
        double[] contribution = new double[n];
        if (!distinct.isEmpty()) {
            ScoreContributionsResponse game = fusion.shapley(FusionClient.config(Strategy.STRATEGY_II,
                    config.contributionEpochs(), 0.01f, config.seed()), classes,
                    data(scored, distinct, true, false, fusionY), data(scored, distinct, false, false, verificationY),
                    config.shapleyPermutations(), config.seed());
            for (int i = 0; i < distinct.size(); i++) {
                contribution[distinct.get(i)] = game.getShapley(i);
            }
        }
        List<ModelFinding> findings = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Scored s = scored.get(k);
            findings.add(new ModelFinding(s.account(), s.architecture(), s.digits(), s.own(), s.all(),
                    duplicateOf[k], eligible[k], prefixI[k], prefixII[k], contribution[k], s.problem()));
        }
        return new Report(fusedI, fusedII, findings, (System.nanoTime() - t0) / 1e9);
    }

    private static FusionClient.Data data(List<Scored> scored, List<Integer> which, boolean train, boolean features,
            int[] labels) {
        List<float[]> f = new ArrayList<>();
        for (int i : which) {
            ModelOutputs o = train ? scored.get(i).train() : scored.get(i).test();
            f.add(features ? o.features() : o.scores());
        }
        return new FusionClient.Data(f, labels);
    }

    private TrainConfig featureConfig(Strategy s) {
        return FusionClient.config(s, config.fusionEpochs(), config.fusionLearningRate(), config.seed());
    }

    /** Accuracy of {@code predictions} on the rows whose label is in {@code digits}; NaN if there is none. */
    static double accuracy(int[] predictions, int[] labels, List<Integer> digits) {
        int count = 0;
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            if (digits.contains(labels[r])) {
                count++;
                correct += predictions[r] == labels[r] ? 1 : 0;
            }
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    private static List<Integer> all(int classes) {
        List<Integer> a = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            a.add(c);
        }
        return a;
    }

    /** The share of rows on which two models predict the same label, [0, 1]. */
    static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int r = 0; r < a.length; r++) {
            same += a[r] == b[r] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
