package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.DatasetIndexer;
import org.captchasolver.dataset.IndexOptions;
import org.captchasolver.eda.EdaOptions;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole story on built-in data: generate, index, explore.")
final class DemoCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-output");

    @Option(names = {"-n", "--count"}, description = "Images to generate (default: ${DEFAULT-VALUE}).")
    int count = 3000;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Path data = out.resolve("data");
        System.out.println("[1/3] Generating " + count + " CAPTCHAs in three styles");
        GeneratorConfig gen = GeneratorConfig.builder().count(count).styles(Arrays.asList(CaptchaStyle.values())).build();
        DatasetGenerator.Result g = new DatasetGenerator(gen).generate(data);
        System.out.printf("Generated %d images in %s (%.0f images/s)%n", g.images(), data, g.imagesPerSecond());

        System.out.println("[2/3] Indexing");
        long t0 = System.nanoTime();
        DatasetIndex index = new DatasetIndexer(IndexOptions.builder().build()).index(data);
        Path indexDir = out.resolve("index");
        index.write(indexDir);
        Datasets.report(index, indexDir, (System.nanoTime() - t0) / 1e9, System.out);

        System.out.println("[3/3] Exploratory analysis");
        EdaCommand.run(index, EdaOptions.DEFAULT, out.resolve("eda"));
        System.out.println("Done. Open " + out.resolve("eda").toAbsolutePath() + " for the figures.");
        return 0;
    }
}
