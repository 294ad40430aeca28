package org.captchasolver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.captchasolver.common.CaptchaException;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.label.LabelQueue;
import org.captchasolver.label.LabelServer;
import org.captchasolver.label.LabelStore;
import org.captchasolver.solve.CaptchaSolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code captcha label}: a local page to type labels, a model's reading pre-filled. */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Serve a local page that shows the folder's unlabelled images one at a time (the least confident "
                + "reading first), the model's reading pre-filled: Enter confirms, typing corrects. Every answer is "
                + "written to labels.csv at once; run it again to go on where you stopped.",
        footer = {"", "Examples:", "  captcha label captchas/ -m runs/first-100",
            "  captcha label captchas/ -m runs/mine --list runs/mine/audit/suspects.csv"})
final class LabelCommand implements Callable<Integer> {
    @Mixin CaptchaCli.CommonOptions common = new CaptchaCli.CommonOptions();

    @Parameters(paramLabel = "DIR", description = "Folder of images.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Model whose readings are pre-filled (a run "
            + "folder, zip or .onnx); without one the answer starts empty and the images come by name.")
    Path model;

    @Option(names = "--list", paramLabel = "CSV", description = "Walk the files of this CSV's 'file' column in its order, "
            + "labelled or not (e.g. the suspects of 'captcha audit'), instead of the unlabelled images.")
    Path list;

    @Option(names = "--labels", paramLabel = "CSV", description = "Where the labels are kept (default: DIR/labels.csv).")
    Path labels;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port = 8094;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (!Files.isDirectory(dir)) {
            throw new CaptchaException(dir + " is not a folder: pass the folder of images to label");
        }
        LabelStore store = LabelStore.open(labels != null ? labels : dir.resolve(LabelManifest.FILE_NAME));
        List<LabelQueue.Item> items;
        if (model != null) {
            try (CaptchaSolver solver = CaptchaSolver.load(model)) {
                items = LabelQueue.build(dir, store, solver, list);
            }
        } else {
            items = LabelQueue.build(dir, store, null, list);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (LabelServer server = LabelServer.start(dir, store, items, host, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.printf("%d images to label (%d labelled in %s). Open %s/ ; Ctrl-C to stop.%n",
                    items.size(), store.size(), store.file(), server.url());
            stopped.await();
        }
        return 0;
    }
}
