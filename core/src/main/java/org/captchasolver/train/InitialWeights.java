package org.captchasolver.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.common.Json;
import org.captchasolver.image.InputShape;
import org.captchasolver.model.Architecture;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.model.ModelManifest;
import org.captchasolver.model.ModelSpec;
import org.captchasolver.network.Weights;

/**
 * A trained CRNN to start training from ({@code captcha train --init}): the base recogniser that ships with
 * captcha-core, or any run folder. Its convolutions, sequence layers and batch-norm statistics are copied
 * as they are; its classifier is rebuilt for the new alphabet, each character the two alphabets share (and
 * the CTC blank) keeping its row, each new one starting from random weights.
 */
public final class InitialWeights {
    /** The {@code --init} value naming the base recogniser shipped in captcha-core's jar. */
    public static final String BASE = "base";
    /** The {@code --init} value that starts from {@link #BASE} when {@link #chooseAuto} finds the labelled set small. */
    public static final String AUTO = "auto";
    /** The {@code --init} value for random weights (the library's default, {@code init} null). */
    public static final String NONE = "none";
    /**
     * Below this many training images {@link #AUTO} starts from the base recogniser. Measured (docs/accuracy.md,
     * "Few labels"): from 50 to every labelled image of both real sets, the base read at least as well as random
     * weights, and far better below a few hundred images.
     */
    public static final int SMALL_SET = 1000;
    static final String BASE_RESOURCE = "/org/captchasolver/base/";

    /** Opens a stream of the weights; each call gives a new one. */
    @FunctionalInterface
    interface ParamsSource {
        InputStream open() throws IOException;
    }

    /**
     * What starting from this network kept.
     *
     * @param copied     parameters copied unchanged (every one but the classifier's)
     * @param sharedRows classifier rows kept: the blank and each character both alphabets have
     * @param newRows    classifier rows for characters the starting network never saw
     */
    public record Transfer(int copied, int sharedRows, int newRows) {}

    private final String name;
    private final ModelManifest manifest;
    private final ParamsSource params;

    private InitialWeights(String name, ModelManifest manifest, ParamsSource params) {
        this.name = name;
        this.manifest = manifest;
        this.params = params;
    }

    /**
     * @param init {@link #BASE}, or a run folder that training wrote (with its {@code model.params})
     * @throws CaptchaException naming {@code init} when it is not a trained CRNN with PyTorch weights
     */
    public static InitialWeights open(String init) {
        InitialWeights w = init.equals(BASE) ? base() : folder(Path.of(init));
        if (w.manifest.spec().architecture() != Architecture.CRNN) {
            throw new CaptchaException("--init " + init + " is a " + w.manifest.spec().architecture().id()
                    + " model: only crnn models can be fine-tuned; start from 'base' or a crnn run");
        }
        return w;
    }

    /**
     * An {@code --init} option as {@link TrainConfig#init} takes it: {@link #NONE} as null, {@link #AUTO} and
     * {@link #BASE} as they are, a run folder as an absolute path (a resumed run must find it from anywhere).
     */
    public static String configValue(String option) {
        return switch (option) {
            case NONE -> null;
            case AUTO, BASE -> option;
            default -> Path.of(option).toAbsolutePath().toString();
        };
    }

    /**
     * What {@link #AUTO} means for a run: {@link #BASE} for a crnn trained on fewer than {@link #SMALL_SET} images
     * whose requested input (if any) has the base's channels and height, else null (random weights).
     *
     * @param config      the run's settings
     * @param trainImages images in its training split
     */
    public static String chooseAuto(TrainConfig config, int trainImages) {
        if (config.architecture() != Architecture.CRNN || trainImages >= SMALL_SET) {
            return null;
        }
        InputShape in = base().manifest.spec().input();
        InputShape requested = config.input();
        boolean fits = requested == null || (requested.channels() == in.channels() && requested.height() == in.height());
        return fits ? BASE : null;
    }

    private static InitialWeights folder(Path dir) {
        ModelManifest m = ModelBundle.readManifest(dir);
        Path file = ModelBundle.require(dir, ModelBundle.PARAMS, "fine-tuning needs the PyTorch weights, not only the ONNX model");
        try {
            ModelBundle.verify(file, m.paramsSha256());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InitialWeights(dir.toString(), m, () -> Files.newInputStream(file));
    }

    private static InitialWeights base() {
        try (InputStream json = InitialWeights.class.getResourceAsStream(BASE_RESOURCE + ModelBundle.MANIFEST)) {
            if (json == null) {
                throw new CaptchaException("this build of captcha-core has no base recogniser (" + BASE_RESOURCE
                        + "): run 'captcha pretrain' and pass its run folder to --init");
            }
            ModelManifest m = ModelBundle.check(BASE_RESOURCE + ModelBundle.MANIFEST, Json.MAPPER.readValue(json, ModelManifest.class));
            return new InitialWeights("the base recogniser", m,
                    () -> InitialWeights.class.getResourceAsStream(BASE_RESOURCE + ModelBundle.PARAMS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the weights come from, for messages. */
    public String name() {
        return name;
    }

    /** The starting network's manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * The network to train: the starting one's layers, input channels and height (its features depend on them),
     * with the data's alphabet, label length and input width (the CRNN's weights do not depend on the width).
     *
     * @param requested the input {@code --input} asked for, or null
     * @throws CaptchaException when {@code requested} has other channels or height than the starting network
     */
    public ModelSpec adapt(InputShape requested, int width, String alphabet, int maxLength) {
        ModelSpec base = manifest.spec();
        InputShape in = base.input();
        if (requested != null && (requested.channels() != in.channels() || requested.height() != in.height())) {
            throw new CaptchaException("--input " + requested.text() + " does not fit --init " + name + ", which reads "
                    + in.channels() + "x" + in.height() + "xW images: keep its channels and height, or drop --input");
        }
        return new ModelSpec(Architecture.CRNN, new InputShape(in.channels(), in.height(), width, in.resampling()), alphabet,
                maxLength, base.widthMultiplier(), base.sequenceHead(), base.stem(), base.channelRounding(), base.pooling());
    }

    /**
     * Writes the starting network's weights into {@code block} (initialised for {@code spec}, from
     * {@link #adapt}), in place: a trainer keeps using the arrays it was initialised with.
     *
     * @throws CaptchaException when a layer's shape differs, which means the files do not belong together
     */
    public Transfer copyInto(Block block, ModelSpec spec) throws IOException {
        List<Parameter> live = block.getParameters().values();
        try (NDManager scratch = live.get(0).getArray().getManager().newSubManager()) {
            ModelSpec own = manifest.spec();
            Block loaded = Weights.newBlock(new ModelSpec(own.architecture(), new InputShape(own.input().channels(),
                    own.input().height(), spec.input().width(), own.input().resampling()), own.alphabet(), own.maxLength(),
                    own.widthMultiplier(), own.sequenceHead(), own.stem(), own.channelRounding(), own.pooling()), scratch);
            try (InputStream in = params.open()) {
                Weights.readParams(loaded, scratch, in, name);
            }
            List<Parameter> read = loaded.getParameters().values();
            int classifier = live.size() - 2; // the last layer's weight and bias, for either sequence head
            for (int i = 0; i < classifier; i++) {
                NDArray from = read.get(i).getArray();
                NDArray to = live.get(i).getArray();
                if (!from.getShape().equals(to.getShape())) {
                    throw new CaptchaException(name + " holds " + read.get(i).getName() + " of shape " + from.getShape()
                            + " where the network to train has " + to.getShape() + ": it is not the network its model.json describes");
                }
                from.copyTo(to);
            }
            int shared = 0;
            for (int i = classifier; i < live.size(); i++) {
                shared = copyRows(read.get(i).getArray(), live.get(i).getArray(), own.alphabet(), spec.alphabet());
            }
            return new Transfer(classifier, shared, spec.classes() - shared);
        }
    }

    /** Copies the rows of the blank and of every shared character; returns how many. */
    private static int copyRows(NDArray from, NDArray to, String fromAlphabet, String toAlphabet) {
        float[] source = from.toFloatArray();
        float[] target = to.toFloatArray();
        int row = target.length / (toAlphabet.length() + 1);
        int shared = 0;
        for (int cls = 0; cls <= toAlphabet.length(); cls++) {
            int fromCls = cls == 0 ? 0 : fromAlphabet.indexOf(toAlphabet.charAt(cls - 1)) + 1;
            if (fromCls > 0 || cls == 0) {
                System.arraycopy(source, fromCls * row, target, cls * row, row);
                shared++;
            }
        }
        to.set(FloatBuffer.wrap(target));
        return shared;
    }
}
