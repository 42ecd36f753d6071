package dev.fusionledger.fusion;

/** Engine-wide constants. */
public final class FusionEngine {
    /** Engine version recorded in every model's provenance. */
    public static final String VERSION = "0.1.0";

    private FusionEngine() {
    }
}
