package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.Progress;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Somewhere else to run {@code Train} and {@code ScoreContributions} when a request is large
 * (fusion-spark's Spark cluster, {@code fusion-engine serve --spark-master}); the gRPC API and the
 * results' meaning do not change. Implementations are found with {@link java.util.ServiceLoader}
 * through {@link Factory}.
 */
public interface ComputeDelegate extends AutoCloseable {
    /** @return where the work runs, for logs (e.g. {@code spark://127.0.0.1:15000}) */
    String name();

    /**
     * @param values the request's training data size, float values (rows x sum |f_i|)
     * @return whether this request goes to the delegate (size at or above the threshold)
     */
    boolean accepts(long values);

    /**
     * Trains a fusion; the model's provenance must name {@link FusionData#sha256()} of {@code train}.
     *
     * @param train     labelled rows
     * @param config    hyper-parameters (early stopping off)
     * @param listener  one {@link Progress} per epoch
     * @param cancelled polled between optimisation steps
     * @return the model
     * @throws CancellationException when cancelled
     */
    FusionModel train(FusionData train, FusionConfig config, Consumer<Progress> listener, BooleanSupplier cancelled);

    /** @return computes the coalitions of contribution scoring */
    ContributionScorer.CoalitionEvaluator coalitions();

    @Override
    void close();

    /** Creates delegates for a kind of address. */
    interface Factory {
        /**
         * @param address        e.g. {@code spark://host:port}
         * @param thresholdValues requests with at least this many training values are delegated
         * @return the delegate, or null when this factory does not serve the address's scheme
         */
        ComputeDelegate create(String address, long thresholdValues);
    }
}
