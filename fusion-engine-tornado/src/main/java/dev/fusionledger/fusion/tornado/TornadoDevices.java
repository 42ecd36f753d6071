package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.BackendUnavailableException;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices the TornadoVM runtime lists (backend index, device index), their description, and
 * the choice of one: {@code FUSIONLEDGER_TORNADO_DEVICE} ({@code "<backend>:<device>"}, e.g.
 * {@code "0:1"}, also as the system property {@code fusionledger.tornado.device}), else
 * TornadoVM's default device.
 */
public final class TornadoDevices {
    /** Environment variable and system property naming the device, {@code "<backend>:<device>"}. */
    public static final String DEVICE_ENV = "FUSIONLEDGER_TORNADO_DEVICE";
    /** System property with the same meaning as {@link #DEVICE_ENV}. */
    public static final String DEVICE_PROPERTY = "fusionledger.tornado.device";

    /**
     * A device and where it sits.
     *
     * @param backend index of the TornadoVM backend (driver)
     * @param index   index of the device in it
     * @param device  the device
     */
    public record Entry(int backend, int index, TornadoDevice device) {
        /** @return {@code "<backend>:<device>"} */
        public String id() {
            return backend + ":" + index;
        }

        /** @return one line: id, TornadoVM backend (driver), name, platform, device C version, global memory in MiB */
        public String describe() {
            return TornadoDevices.describe(this);
        }
    }

    private TornadoDevices() {
    }

    /**
     * @return every device of every backend the runtime loaded
     * @throws BackendUnavailableException when the runtime is not loaded or lists no device
     */
    public static List<Entry> all() {
        TornadoRuntime rt = runtime();
        List<Entry> out = new ArrayList<>();
        for (int b = 0; b < rt.getNumBackends(); b++) {
            TornadoBackend be = rt.getBackend(b);
            for (int d = 0; d < be.getNumDevices(); d++) {
                out.add(new Entry(b, d, be.getDevice(d)));
            }
        }
        if (out.isEmpty()) {
            throw new BackendUnavailableException("tornado: TornadoVM found no device (" + rt.getNumBackends()
                    + " backend(s) loaded; check the OpenCL ICD / CUDA driver, e.g. clinfo -l or nvidia-smi)");
        }
        return out;
    }

    /**
     * @return the device named by {@link #DEVICE_ENV} / {@link #DEVICE_PROPERTY}, else the default device
     * @throws BackendUnavailableException when there is none, or the name is malformed or unknown
     */
    public static Entry select() {
        String want = System.getProperty(DEVICE_PROPERTY, System.getenv(DEVICE_ENV));
        List<Entry> all = all();
        if (want == null || want.isBlank()) {
            TornadoRuntime rt = runtime();
            TornadoDevice def = rt.getDefaultDevice();
            for (Entry e : all) {
                if (e.device() == def || e.device().getDeviceName().equals(def.getDeviceName())
                        && e.device().getTornadoVMBackend() == def.getTornadoVMBackend()) {
                    return e;
                }
            }
            return all.get(0);
        }
        for (Entry e : all) {
            if (e.id().equals(want.trim())) {
                return e;
            }
        }
        List<String> ids = all.stream().map(Entry::id).toList();
        throw new BackendUnavailableException("tornado: " + DEVICE_ENV + "=" + want + " names no device; the runtime "
                + "lists " + ids);
    }

    static String describe(Entry e) {
        TornadoDevice d = e.device();
        String version;
        try {
            version = d.getDeviceOpenCLCVersion();
        } catch (RuntimeException | LinkageError ex) {
            version = "?";
        }
        return String.format("%s %s '%s' (platform %s, %s, %d MiB global memory)", e.id(), d.getTornadoVMBackend(),
                d.getPhysicalDevice().getDeviceName(), d.getPlatformName(), version, d.getMaxGlobalMemory() >> 20);
    }

    private static TornadoRuntime runtime() {
        try {
            return TornadoRuntimeProvider.getTornadoRuntime();
        } catch (LinkageError | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String msg = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
            throw new BackendUnavailableException("tornado: the TornadoVM runtime did not start ("
                    + root.getClass().getSimpleName() + msg + "); check the device driver (clinfo -l, nvidia-smi) and "
                    + "that the JVM has TornadoVM's flags (bin/fusion-engine adds @$TORNADO_SDK/tornado-argfile)", e);
        }
    }
}
