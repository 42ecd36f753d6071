package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.BackendUnavailableException;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starts the TornadoVM backend for a test, or skips the test with the reason printed. */
final class TornadoOrSkip {
    private static TornadoBackend shared;
    private static String reason;

    private TornadoOrSkip() {
    }

    static synchronized TornadoBackend backend() {
        if (shared == null && reason == null) {
            try {
                shared = (TornadoBackend) new TornadoBackendProvider().create();
                System.out.println("[tornado tests] device " + shared.device().describe());
            } catch (BackendUnavailableException e) {
                reason = e.getMessage();
                System.out.println("[tornado tests] skipped: " + reason);
            }
        }
        assumeTrue(shared != null, () -> "TornadoVM backend unavailable: " + reason);
        return shared;
    }
}
