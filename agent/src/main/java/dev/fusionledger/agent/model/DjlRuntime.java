package dev.fusionledger.agent.model;

import ai.djl.engine.Engine;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares DJL's PyTorch engine to run <em>offline</em> from the jars on the class path, and hands
 * it out.
 *
 * <p>What it does, once per JVM, before the engine is first touched:
 * <ul>
 *   <li>sets {@code ai.djl.offline=true} (unless the system property is already set) and
 *       {@code ai.djl.default_engine=PyTorch} (unless set), so DJL never downloads anything;</li>
 *   <li>installs the JNI bridge {@code libdjl_torch.so} from the {@code pytorch-jni} jar into the
 *       engine cache, at {@code <cache>/pytorch/<libtorch version>-<flavor>-<classifier>/<api
 *       version>-libdjl_torch.so}, the first place DJL looks for it. This is needed because the
 *       {@code pytorch-jni} build for DJL 0.36.0 (2.7.1-0.36.0) is not on Maven Central; the
 *       2.7.1-0.35.1 build used instead has the identical native interface, but DJL would reject
 *       it by its version label and try to download the 0.36.0 one.</li>
 * </ul>
 * libtorch (~430 MB unpacked) is extracted from the {@code pytorch-native-cpu} jar into the same
 * directory at the same time (DJL would replace a directory it did not fill itself). The cache root is DJL's: system property or environment
 * variable {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else (set here)
 * {@code ~/.cache/fusionledger/djl}.
 *
 * <p>Threads: libtorch runs with 1 intra-op and 1 inter-op thread unless the system properties
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads} say otherwise
 * (read by DJL at engine start). On a small shared machine one thread per process is both faster
 * and far steadier than libtorch's default of one per core (measured on 2 busy cores: C4 one epoch
 * over 500 images 0.4 s with 1 thread, 5.6-6.7 s with 2 spinning OpenMP threads); parallelism
 * comes from training several contributors in separate processes.
 */
public final class DjlRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
    private static final String ENGINE = "PyTorch";
    private static volatile Engine engine;
    /** The engine cache when none is configured: ~/.cache/fusionledger/djl. */
    static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "fusionledger", "djl");

    private DjlRuntime() {}

    /**
     * The PyTorch engine, started offline (see the class comment).
     *
     * @throws IllegalStateException if the JNI library is not on the class path or the engine
     *     cannot start (the message carries DJL's reason)
     */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                e = engine;
                if (e == null) {
                    prepare();
                    try {
                        e = Engine.getEngine(ENGINE);
                    } catch (RuntimeException | UnsatisfiedLinkError err) {
                        throw new IllegalStateException("cannot start DJL's PyTorch engine offline from the class path"
                                + " (pytorch-native-cpu linux-x86_64 and pytorch-jni must be on it): " + err, err);
                    }
                    LOG.debug("DJL {} engine {} ready (offline={})", ENGINE, e.getVersion(),
                            System.getProperty("ai.djl.offline"));
                    engine = e;
                }
            }
        }
        return e;
    }

    /** The directory DJL extracts libtorch and the JNI bridge into. */
    public static Path nativeDirectory() {
        Platform p = Platform.detectPlatform("pytorch");
        return Utils.getEngineCacheDir("pytorch")
                .resolve(p.getVersion() + '-' + p.getFlavor() + '-' + p.getClassifier());
    }

    private static void prepare() {
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null
                && System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", DEFAULT_CACHE.toString());
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        for (String threads : new String[] {"ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads"}) {
            if (System.getProperty(threads) == null) {
                System.setProperty(threads, "1");
            }
        }
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", ENGINE);
        }
        Platform p = Platform.detectPlatform("pytorch");
        Path dir = nativeDirectory();
        String jni = p.getApiVersion() + '-' + System.mapLibraryName("djl_torch");
        if (Files.isRegularFile(dir.resolve(jni))) {
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            // Extract into a fresh sibling first and move it in whole: DJL replaces a directory
            // it did not fill itself, so libtorch and the JNI bridge must arrive together.
            Path tmp = Files.createTempDirectory(dir.getParent(), "tmp-natives");
            try {
                if (!Files.isDirectory(dir)) {
                    String prefix = "pytorch/" + p.getFlavor() + '/' + p.getClassifier() + '/';
                    for (String lib : p.getLibraries()) {
                        copyResource(prefix + lib, tmp.resolve(lib));
                    }
                }
                copyResource("jnilib/" + p.getClassifier() + '/' + p.getFlavor() + '/'
                        + System.mapLibraryName("djl_torch"), tmp.resolve(jni));
                if (Files.isDirectory(dir)) {
                    Files.move(tmp.resolve(jni), dir.resolve(jni), StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                }
                LOG.info("extracted the PyTorch natives and JNI bridge from the class path into {}", dir);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the PyTorch natives into " + dir, e);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = DjlRuntime.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: add ai.djl.pytorch:"
                        + (resource.startsWith("jnilib/") ? "pytorch-jni" : "pytorch-native-cpu (linux-x86_64)"));
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
