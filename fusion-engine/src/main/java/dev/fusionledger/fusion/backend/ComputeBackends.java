package dev.fusionledger.fusion.backend;

import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Selects a compute backend by name: {@code blas} ({@link CpuBlasBackend}, the default),
 * {@code java} ({@link JavaReferenceBackend}) and any {@link ComputeBackendProvider} on the class
 * path, e.g. {@code tornado} from {@code fusion-engine-tornado} (README, "Compute backends").
 */
public final class ComputeBackends {
    /** Backend names this build knows of; {@code tornado} needs its module and a TornadoVM SDK. */
    public static final List<String> NAMES = List.of("blas", "java", "tornado");
    /** The default backend. */
    public static final String DEFAULT = "blas";

    private ComputeBackends() {
    }

    /**
     * Creates the backend of the given name.
     *
     * @param name {@code blas}, {@code java}, {@code tornado} (case-insensitive) or a provider's name
     * @return a new backend instance (backends are not shared between concurrent trainings)
     * @throws IllegalArgumentException    when the name is none of {@link #NAMES} nor a provider's
     * @throws BackendUnavailableException when the backend's module or runtime is missing (one line)
     */
    public static ComputeBackend create(String name) {
        String n = name == null ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "blas":
                return new CpuBlasBackend();
            case "java":
                return new JavaReferenceBackend();
            default:
                break;
        }
        for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
            if (p.name().equals(n)) {
                return p.create();
            }
        }
        if (n.equals("tornado")) {
            throw new BackendUnavailableException("tornado: the TornadoVM backend (module fusion-engine-tornado) is not "
                    + "on the class path; build it with TORNADO_SDK set and start the engine with bin/fusion-engine");
        }
        throw new IllegalArgumentException("backend: one of " + NAMES + ", got '" + name + "'");
    }
}
