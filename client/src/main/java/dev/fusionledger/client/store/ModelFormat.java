package dev.fusionledger.client.store;

/** Serialisation format of a stored model artifact. */
public enum ModelFormat {
    /** A Deep Java Library model archive (PyTorch engine parameters). */
    DJL,
    /** An ONNX model, loaded through DJL's ONNX Runtime engine. */
    ONNX,
    /** A TorchScript model, loaded through DJL's PyTorch engine. */
    TORCHSCRIPT
}
