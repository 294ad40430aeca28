package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.DatasetIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Scan a folder of labelled images: labels, validation report, alphabet, and a 70/10/20 split.")
final class IndexCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();
    @Mixin LabelOptions labels = new LabelOptions();

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DIR", description = "Folder of images (searched recursively).")
    Path data;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where to write the index (default: indexes/<data folder name>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Path dir = out != null ? out : Path.of("indexes", Datasets.nameOf(data));
        long t0 = System.nanoTime();
        DatasetIndex index = Datasets.index(data, labels, dir);
        index.write(dir);
        Datasets.report(index, dir, (System.nanoTime() - t0) / 1e9, System.out);
        return 0;
    }
}
