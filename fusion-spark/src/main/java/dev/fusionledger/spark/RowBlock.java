package dev.fusionledger.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Up to {@link #MAX_ROWS} training rows of one partition, stacked as the trainer's kernels want
 * them: the concatenated features FC {@code [rows x |fc|]} (row-major float32) and the labels
 * {@code [rows]}. {@code id} = partition index &lt;&lt; 32 | block index within the partition, so
 * a block's mini-batch sampling depends on where its rows are, never on which executor runs it.
 */
final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Rows per block (the chunk the gradient kernels see at once). */
    static final int MAX_ROWS = 4096;

    final long id;
    final int rows;
    final int features;
    final float[] x;
    final int[] y;

    RowBlock(long id, int rows, int features, float[] x, int[] y) {
        this.id = id;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.y = y;
    }

    /** A block's id, rows and {@link #sha256()}. */
    record Digest(long id, int rows, byte[] sha256) implements Serializable {
    }

    /** @return this block's digest */
    Digest digest() {
        return new Digest(id, rows, sha256());
    }

    /**
     * SHA-256 of the block: {@code rows}, {@code |fc|} (big-endian int32), then the features and
     * labels as little-endian float32 / int32.
     */
    byte[] sha256() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer head = ByteBuffer.allocate(8);
        head.putInt(rows).putInt(features);
        md.update(head.array());
        ByteBuffer buf = ByteBuffer.allocate(4 * (rows * features + rows)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * features; i++) {
            buf.putFloat(x[i]);
        }
        for (int i = 0; i < rows; i++) {
            buf.putInt(y[i]);
        }
        md.update(buf.array());
        return md.digest();
    }
}
