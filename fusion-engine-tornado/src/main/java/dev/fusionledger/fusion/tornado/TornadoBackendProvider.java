package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.ComputeBackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --backend tornado}: checks, in this order, that a TornadoVM SDK is named
 * ({@code TORNADO_SDK} or TornadoVM's own {@code TORNADOVM_HOME}), that its runtime is loaded in
 * this JVM (the SDK's module path and flags, which {@code bin/fusion-engine} adds), and that it
 * lists a device; each failure is one line naming what is missing. Logs the device it runs on.
 * This class refers to no TornadoVM type, so it loads even where TornadoVM's modules are absent.
 */
public final class TornadoBackendProvider implements ComputeBackendProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TornadoBackendProvider.class);
    /** TornadoVM's option to run a kernel it cannot compile as Java instead; set to False unless given. */
    static final String BAILOUT = "tornado.recover.bailout";

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public ComputeBackend create() {
        String sdk = System.getenv("TORNADO_SDK");
        if (sdk == null || sdk.isBlank()) {
            sdk = System.getenv("TORNADOVM_HOME");
        }
        if (sdk == null || sdk.isBlank()) {
            throw new BackendUnavailableException("tornado: no TornadoVM SDK: TORNADO_SDK is not set (install TornadoVM "
                    + "with its installer or SDK archive and point TORNADO_SDK at it)");
        }
        if (ModuleLayer.boot().findModule("tornado.runtime").isEmpty()) {
            throw new BackendUnavailableException("tornado: TornadoVM's runtime is not loaded in this JVM (SDK " + sdk
                    + "); start the engine through bin/fusion-engine, which adds @$TORNADO_SDK/tornado-argfile");
        }
        // a kernel TornadoVM cannot compile must fail, not run as sequential Java on the host ("[Bailout]")
        if (System.getProperty(BAILOUT) == null) {
            System.setProperty(BAILOUT, "False");
        }
        return Start.backend(sdk);
    }

    /** Touches TornadoVM's classes only once the runtime is known to be there. */
    private static final class Start {
        static ComputeBackend backend(String sdk) {
            TornadoDevices.Entry dev = TornadoDevices.select();
            LOG.info("TornadoVM backend (SDK {}) on device {}", sdk, dev.describe());
            try {
                return new TornadoBackend(dev);
            } catch (LinkageError | RuntimeException e) {
                throw new BackendUnavailableException("tornado: device " + dev.id() + " did not start: " + e, e);
            }
        }
    }
}
