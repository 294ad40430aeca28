package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.eda.EdaAnalyzer;
import org.captchasolver.eda.EdaOptions;
import org.captchasolver.eda.EdaReport;
import org.captchasolver.eda.EdaStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eda", mixinStandardHelpOptions = true,
        description = "Exploratory analysis: character and length distributions, sizes, channels, intensities, sample grid.")
final class EdaCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
    @Mixin LabelOptions labels = new LabelOptions();

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DIR", description = "Folder of images, or an index folder.")
    Path data;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: eda/<data folder name>).")
    Path out;

    @Option(names = "--size-sample", description = "Images whose size and channels are counted (default: ${DEFAULT-VALUE}).")
    int sizeSample = EdaOptions.DEFAULT.sizeSample();

    @Option(names = "--intensity-sample", description = "Images whose pixels are counted (default: ${DEFAULT-VALUE}).")
    int intensitySample = EdaOptions.DEFAULT.intensitySample();

    @Override
    public Integer call() throws Exception {
        common.apply();
        Path dir = out != null ? out : Path.of("eda", Datasets.nameOf(data));
        DatasetIndex index = Datasets.open(data, labels, dir.resolve("index"), System.out);
        run(index, new EdaOptions(sizeSample, intensitySample, 12, labels.seed), dir);
        return 0;
    }

    static EdaStats run(DatasetIndex index, EdaOptions options, Path dir) throws Exception {
        EdaAnalyzer analyzer = new EdaAnalyzer(options);
        EdaStats stats = analyzer.analyze(index);
        List<Path> files = EdaReport.write(stats, analyzer.sampleCells(index), dir);
        System.out.printf("EDA: %d images, %d distinct characters (most common '%s'), most common size %s, lengths %s%n",
                stats.images(), stats.distinctChars(), stats.mostCommonChar(), stats.mostCommonSize(), stats.lengthCounts());
        System.out.printf("EDA written to %s (%d files)%n", dir, files.size());
        return stats;
    }
}
