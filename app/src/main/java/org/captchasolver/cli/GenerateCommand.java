package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.captchasolver.generate.CaptchaStyle;
import org.captchasolver.generate.DatasetGenerator;
import org.captchasolver.generate.GeneratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Render a labelled synthetic CAPTCHA dataset (<label>.png + labels.csv).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Folder to write the images to.")
    Path out;

    @Option(names = {"-n", "--count"}, description = "Number of images (default: ${DEFAULT-VALUE}).")
    int count = 1000;

    @Option(names = "--style", split = ",", paramLabel = "STYLE",
            description = "clean, colorful, warped, variable (transparent, as wide as its text: 1.5 heights a "
                    + "character), mixed (a different look and size each image, 80x25 to 250x80), or all; several are "
                    + "interleaved (default: clean).")
    List<String> styles = List.of("clean");

    @Option(names = "--charset", description = "Characters to draw from (default: ${DEFAULT-VALUE}).")
    String charset = GeneratorConfig.DEFAULT_CHARSET;

    @Option(names = "--length", paramLabel = "MIN-MAX", description = "Label length range (default: ${DEFAULT-VALUE}).")
    String length = "4-6";

    @Option(names = "--size", paramLabel = "WxH",
            description = "Image size; the variable style takes only its height (default: ${DEFAULT-VALUE}).")
    String size = "200x100";

    @Option(names = "--seed", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        common.apply();
        DatasetGenerator.Result r = new DatasetGenerator(config()).generate(out);
        System.out.printf("Generated %d images in %s (%.1f s, %.0f images/s)%n", r.images(), r.folder(), r.seconds(), r.imagesPerSecond());
        return 0;
    }

    GeneratorConfig config() {
        int[] len = parsePair(length, "-", "--length");
        int[] wh = parsePair(size, "x", "--size");
        return GeneratorConfig.builder().count(count).styles(parseStyles(styles)).charset(charset)
                .length(len[0], len[1]).size(wh[0], wh[1]).seed(seed).build();
    }

    static List<CaptchaStyle> parseStyles(List<String> names) {
        if (names.size() == 1 && names.get(0).equalsIgnoreCase("all")) {
            return Arrays.asList(CaptchaStyle.values());
        }
        return names.stream().map(CaptchaStyle::parse).toList();
    }

    static int[] parsePair(String s, String sep, String option) {
        String[] p = s.toLowerCase().split(java.util.regex.Pattern.quote(sep));
        try {
            if (p.length == 1) {
                int v = Integer.parseInt(p[0].trim());
                return new int[] {v, v};
            }
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(option + " takes two numbers like 'A" + sep + "B', got '" + s + "'");
    }
}
