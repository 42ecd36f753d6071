package dev.fusionledger.demo.run;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The two references every report compares the fusion with (docs/fusion.md, "Baselines"): C1's
 * Table I network trained with the contributors' recipe on (a) the verifiers' own fusion-training
 * images only, what the initiator gets without buying any model, and (b) all training images of all
 * parties pooled (verifiers' fusion-training plus every contributor's training split), what
 * centralised training would get if the data could be shared. Both stop early on the verifiers'
 * test split and are measured on the verification split.
 */
public final class Baselines {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private Baselines() {}

    /**
     * Trains both baselines in a child JVM (DJL's PyTorch engine records one gradient tape per
     * process, so a second training cannot share the demo's JVM), on the same class path and DJL
     * settings; the caller collects the result with {@link Child#await()}.
     *
     * @param config the contributors' recipe
     * @param seed the partition seed
     * @param scale the partition scale, (0, 1]
     * @param out the JSON file the child writes; its log goes beside it ({@code .log})
     * @throws IOException if the child cannot be started
     */
    public static Child start(TrainingConfig config, long seed, double scale, java.nio.file.Path out)
            throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("ai.djl.") || k.equals("ENGINE_CACHE_DIR") || k.startsWith("fusionledger.")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Baselines.class.getName(),
                Long.toString(seed), Double.toString(scale), Integer.toString(config.maxEpochs()),
                Integer.toString(config.patience()), Integer.toString(config.shiftPixels()), out.toString()));
        java.nio.file.Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Child(p, out, log);
    }

    /** A running baseline child process. */
    public record Child(Process process, java.nio.file.Path out, java.nio.file.Path log) {
        /**
         * Waits for the child and reads its result.
         *
         * @return verifiers-alone, then pooled
         * @throws IllegalStateException if the child failed (message: its exit code and log file)
         */
        public List<Baseline> await() throws InterruptedException, java.io.IOException {
            int rc = process.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("baseline trainer exited with " + rc + "; see " + log);
            }
            return List.of(JSON.readValue(out.toFile(), Baseline[].class));
        }

        /** Stops the child if it still runs. */
        public void stop() {
            process.destroy();
        }
    }

    /**
     * Child entry point: {@code seed scale localEpochs patience shiftPixels out.json}; exit 0 when
     * the JSON is written, 2 on bad arguments.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: Baselines seed scale localEpochs patience shiftPixels out.json");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        double scale = Double.parseDouble(args[1]);
        TrainingConfig config = TrainingConfig.paper(Integer.parseInt(args[2]), Integer.parseInt(args[3]), seed)
                .withShift(Integer.parseInt(args[4]));
        MnistDigits data = MnistDigits.loadDefault();
        dev.fusionledger.demo.data.PartitionSpec spec = scale < 1
                ? dev.fusionledger.demo.data.PartitionSpec.tableII().scaled(scale)
                : dev.fusionledger.demo.data.PartitionSpec.tableII();
        List<Baseline> b = train(data, Partition.create(data, spec, seed), config);
        JSON.writeValue(java.nio.file.Path.of(args[5]).toFile(), b);
        System.exit(0);
    }

    /**
     * One baseline.
     *
     * @param name {@code verifiers-alone} or {@code pooled}
     * @param trainingImages images it was trained on
     * @param epochs local epochs run
     * @param bestEpoch the early-stopping best
     * @param accuracy accuracy on the verification split, [0, 1]
     * @param seconds training wall time
     */
    public record Baseline(String name, int trainingImages, int epochs, int bestEpoch, double accuracy,
            double seconds) {}

    /**
     * Trains both baselines.
     *
     * @param config the contributors' training recipe (epochs, patience, batch, learning rate, seed, shifts)
     * @return verifiers-alone, then pooled
     */
    public static List<Baseline> train(MnistDigits data, Partition partition, TrainingConfig config) {
        Split fusion = partition.fusionTraining();
        float[] x = fusion.images(data);
        int[] y = fusion.labels(data);
        List<Baseline> out = new ArrayList<>();
        out.add(trainOne("verifiers-alone", x, y, data, partition, config));
        List<float[]> xs = new ArrayList<>(List.of(x));
        List<int[]> ys = new ArrayList<>(List.of(y));
        for (String c : partition.contributorIds()) {
            xs.add(partition.training(c).images(data));
            ys.add(partition.training(c).labels(data));
        }
        out.add(trainOne("pooled", concat(xs), ys.stream().flatMapToInt(java.util.Arrays::stream).toArray(), data,
                partition, config));
        return out;
    }

    private static Baseline trainOne(String name, float[] x, int[] y, MnistDigits data, Partition partition,
            TrainingConfig config) {
        Split test = partition.verifierTest();
        Split ver = partition.verification();
        TrainingResult r = ContributorTrainer.train(CnnArchitecture.C1, x, y, test.images(data), test.labels(data),
                config, null);
        try (var m = r.model()) {
            return new Baseline(name, y.length, r.epochs().size(), r.bestEpoch(),
                    m.accuracy(ver.images(data), ver.labels(data)), r.seconds());
        }
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
