package org.captchasolver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.captchasolver.onnx.BundleExport;
import org.captchasolver.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model as ONNX (opset " + OnnxExport.OPSET + "), with its alphabet, input and decoding in the "
                + "metadata, so the .onnx file alone solves, here or in any ONNX runtime.",
                "Training writes model.onnx already; this adds it to models trained before, or writes a copy elsewhere."})
final class ExportCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "A run folder from 'captcha train'.")
    Path model;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to write (default: <model>/model.onnx, which the bundle then records).")
    Path out;

    @Override
    public Integer call() throws Exception {
        common.apply();
        BundleExport.Result r = BundleExport.export(model, out);
        System.out.printf("Wrote %s (%.1f KB); ONNX Runtime and PyTorch agree within %.1e on every probability%s%n",
                r.file(), r.bytes() / 1024.0, r.maxDifference(), r.bundleUpdated() ? "; recorded in model.json" : "");
        return 0;
    }
}
