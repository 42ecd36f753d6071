package dev.fusionledger.agent.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The contributors' CNN architectures (demo/README.md, the paper's Table I). All take a [N x 1 x 28 x
 * 28] batch of grey levels in [0, 1] and compute: conv(a) + ReLU &rarr; 2x2 max-pool &rarr; conv(b) +
 * ReLU &rarr; 2x2 max-pool &rarr; conv(c) + ReLU &rarr; flatten (7 x 7 x c) &rarr; fully connected 500 +
 * ReLU &rarr; fully connected 10 (logits; the 10-way softmax is applied by the loss in training and by
 * {@link CnnModel#scores} in inference). Convolutions are square with stride 1 and "same" padding:
 * (k-1)/2 on each side for odd k; for even k, k/2 - 1 before and k/2 after (as in TensorFlow and
 * PyTorch's {@code padding='same'}), done by padding k/2 on both sides and dropping the first row
 * and column of the output.
 */
public enum CnnArchitecture {
    /** 32@5, 16@5, 8@2. */
    C1(new Conv(32, 5), new Conv(16, 5), new Conv(8, 2)),
    /** 64@5, 32@5, 16@2. */
    C2(new Conv(64, 5), new Conv(32, 5), new Conv(16, 2)),
    /** 32@5, 32@10, 16@4. */
    C3(new Conv(32, 5), new Conv(32, 10), new Conv(16, 4)),
    /** 16@10, 16@10, 12@5. */
    C4(new Conv(16, 10), new Conv(16, 10), new Conv(12, 5)),
    /** 16@10, 16@5, 8@5. */
    C5(new Conv(16, 10), new Conv(16, 5), new Conv(8, 5));

    /** Input shape of one image: [1 x 28 x 28] (channels, height, width). */
    public static final Shape IMAGE_SHAPE = new Shape(1, 28, 28);
    /** Output size: one score per digit 0-9. */
    public static final int OUTPUTS = 10;
    /** Units of the hidden fully connected layer. */
    public static final int HIDDEN = 500;
    /** Side of the square grey-level input image, pixels. */
    public static final int SIDE = 28;
    /** Pixels of one input image: SIDE × SIDE, one channel. */
    public static final int PIXELS = SIDE * SIDE;

    /** One convolution layer: {@code filters}@{@code kernel} x {@code kernel}. */
    public record Conv(int filters, int kernel) {}

    private final List<Conv> convs;

    CnnArchitecture(Conv a, Conv b, Conv c) {
        this.convs = List.of(a, b, c);
    }

    /** The three convolution layers, in order. */
    public List<Conv> convs() {
        return convs;
    }

    /** A fresh, uninitialised DJL block of this architecture: input [N x 1 x 28 x 28], output [N x 10] logits. */
    public Block newBlock() {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < convs.size(); i++) {
            addSameConv(net, convs.get(i));
            net.add(Activation.reluBlock());
            if (i < 2) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        net.add(Blocks.batchFlattenBlock());
        net.add(Linear.builder().setUnits(HIDDEN).build());
        net.add(Activation.reluBlock());
        net.add(Linear.builder().setUnits(OUTPUTS).build());
        return net;
    }

    private static void addSameConv(SequentialBlock net, Conv c) {
        int k = c.kernel();
        int pad = k / 2;
        net.add(Conv2d.builder()
                .setKernelShape(new Shape(k, k))
                .optPadding(new Shape(pad, pad))
                .setFilters(c.filters())
                .build());
        if (k % 2 == 0) {
            // symmetric k/2 padding gives one extra row/column; drop the first to get "same"
            net.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, :, 1:, 1:")), "same-crop"));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append(' ');
        for (int i = 0; i < convs.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(convs.get(i).filters()).append('@').append(convs.get(i).kernel());
        }
        return sb.toString();
    }
}
