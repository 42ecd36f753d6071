package dev.fusionledger.fusion.backend;

/**
 * A compute backend living in a module of its own (e.g. {@code fusion-engine-tornado}), found with
 * {@link java.util.ServiceLoader} under {@code META-INF/services/dev.fusionledger.fusion.backend.ComputeBackendProvider}.
 * {@link ComputeBackends#create} asks it by {@link #name()}.
 */
public interface ComputeBackendProvider {

    /** @return the name users select it by, e.g. {@code "tornado"} */
    String name();

    /**
     * Starts the backend: checks its runtime and device and logs the device it runs on.
     *
     * @return a ready backend
     * @throws BackendUnavailableException when its runtime, driver or device is missing (one line saying which)
     */
    ComputeBackend create();
}
