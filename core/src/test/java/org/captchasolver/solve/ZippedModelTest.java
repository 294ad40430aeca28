package org.captchasolver.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model shipped as one zip: from a file, a stream, or a jar on the class path, it answers as its folder does. */
class ZippedModelTest {
    @TempDir Path tmp;

    @Test
    void aZippedRunFolderLoadsFromAFileAStreamAndTheClassPath() throws Exception {
        Path model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        List<Path> images = index.entries().stream().limit(12).map(index::pathOf).toList();
        byte[] zip = zip(model, "mine/", true);
        Path file = Files.write(tmp.resolve("mine.zip"), zip);
        Path resources = Files.createDirectories(tmp.resolve("classes/models"));
        Files.write(resources.resolve("mine.zip"), zip);
        Files.copy(model.resolve(ModelBundle.ONNX), resources.resolve("mine.onnx"));

        try (CaptchaSolver folder = CaptchaSolver.load(model);
             CaptchaSolver fromFile = CaptchaSolver.load(file);
             CaptchaSolver fromStream = CaptchaSolver.load(new ByteArrayInputStream(zip));
             CaptchaSolver fromClassPath = withContextLoader(tmp.resolve("classes"), () -> CaptchaSolver.loadResource("models/mine.zip"));
             CaptchaSolver onnxFromClassPath = withContextLoader(tmp.resolve("classes"), () -> CaptchaSolver.loadResource("models/mine.onnx"))) {
            for (Path image : images) {
                Solution expected = folder.solve(image);
                assertThat(fromFile.solve(image)).isEqualTo(expected);
                assertThat(fromStream.solve(image)).isEqualTo(expected);
                assertThat(fromClassPath.solve(image)).isEqualTo(expected);
                assertThat(onnxFromClassPath.solve(image)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aZipWithoutAModelOrNoSuchResourceIsNamed() throws Exception {
        byte[] half = zip(TestModels.sharedCrnn(), "", false);
        assertThatThrownBy(() -> CaptchaSolver.load(new ByteArrayInputStream(half))).isInstanceOf(CaptchaException.class)
                .hasMessageContaining("no " + ModelBundle.ONNX + " or " + ModelBundle.PARAMS);
        assertThatThrownBy(() -> CaptchaSolver.loadResource("models/none.zip")).isInstanceOf(CaptchaException.class)
                .hasMessageContaining("models/none.zip");
    }

    /** The run folder's model files (and the rest of its index, which is ignored) under {@code prefix}. */
    private static byte[] zip(Path model, String prefix, boolean withParams) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            List<String> names = withParams ? List.of(ModelBundle.MANIFEST, ModelBundle.PARAMS, ModelBundle.ONNX, "index/index.csv")
                    : List.of(ModelBundle.MANIFEST);
            for (String name : names) {
                out.putNextEntry(new ZipEntry(prefix + name));
                out.write(Files.readAllBytes(model.resolve(name)));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private interface Load {
        CaptchaSolver get() throws Exception;
    }

    private static CaptchaSolver withContextLoader(Path classes, Load load) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            thread.setContextClassLoader(loader);
            return load.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
