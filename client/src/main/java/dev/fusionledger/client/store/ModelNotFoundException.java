package dev.fusionledger.client.store;

import java.io.IOException;

/** Thrown when no artifact is stored under the requested id. */
public class ModelNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String id) {
        super("model " + id + ": not in the store");
    }
}
