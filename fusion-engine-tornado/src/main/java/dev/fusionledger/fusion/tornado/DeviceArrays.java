package dev.fusionledger.fusion.tornado;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemorySegment.copy;

/** Bulk copies between Java arrays and TornadoVM's off-heap arrays (no per-element calls). */
final class DeviceArrays {
    private DeviceArrays() {
    }

    static void put(float[] src, int from, FloatArray dst, int count) {
        copy(src, from, dst.getSegment(), ValueLayout.JAVA_FLOAT, 0, count);
    }

    static void get(FloatArray src, float[] dst, int count) {
        copy(src.getSegment(), ValueLayout.JAVA_FLOAT, 0, dst, 0, count);
    }

    static void put(int[] src, int from, IntArray dst, int count) {
        copy(src, from, dst.getSegment(), ValueLayout.JAVA_INT, 0, count);
    }

    static FloatArray of(float[] src) {
        FloatArray a = new FloatArray(Math.max(1, src.length));
        put(src, 0, a, src.length);
        return a;
    }

    static FloatArray ones(int count) {
        FloatArray a = new FloatArray(Math.max(1, count));
        a.init(1f);
        return a;
    }
}
