package org.captchasolver.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;

/**
 * The benchmark's data: generated folders kept in a work folder between runs (a folder counts as
 * made once its index exists), so a second run measures rather than regenerates.
 */
public final class BenchData {
    private final Path work;

    public BenchData(Path work) {
        this.work = work;
    }

    public Path work() {
        return work;
    }

    /** {@code count} generated PNGs (all styles), indexed. */
    public DatasetIndex png(int count) throws IOException {
        Path dir = work.resolve("png-" + count);
        Path index = work.resolve("png-" + count + "-index");
        if (!DatasetIndex.isIndexFolder(index)) {
            GeneratorConfig config = GeneratorConfig.builder().count(count).styles(CaptchaStyle.FIXED_SIZE).seed(7).build();
            new DatasetGenerator(config).generate(dir);
            new DatasetIndexer(IndexOptions.builder().build()).index(dir).write(index);
        }
        return DatasetIndex.read(index);
    }

    /** The same images as {@link #png(int)}, re-encoded as JPEG (quality 0.75, ImageIO's default). */
    public DatasetIndex jpeg(int count) throws IOException {
        Path index = work.resolve("jpeg-" + count + "-index");
        if (!DatasetIndex.isIndexFolder(index)) {
            DatasetIndex png = png(count);
            Path dir = work.resolve("jpeg-" + count);
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(png.root(), "*.png")) {
                for (Path f : files) {
                    BufferedImage img = ImageIO.read(f.toFile());
                    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                    rgb.getGraphics().drawImage(img, 0, 0, null);
                    String name = f.getFileName().toString().replaceAll("\\.png$", ".jpg");
                    AtomicFiles.write(dir.resolve(name), out -> ImageIO.write(rgb, "jpeg", out));
                }
            }
            new DatasetIndexer(IndexOptions.builder().build()).index(dir).write(index);
        }
        return DatasetIndex.read(index);
    }
}
