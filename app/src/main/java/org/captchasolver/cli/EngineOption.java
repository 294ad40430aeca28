package org.captchasolver.cli;

import org.captchasolver.solve.Engine;
import picocli.CommandLine.Option;

/** {@code --engine}: what runs the network when a command solves. */
final class EngineOption {
    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "What runs the network: ${COMPLETION-CANDIDATES}. auto (the default) takes ONNX Runtime when "
                    + "the model has model.onnx, else PyTorch.")
    Engine engine = Engine.AUTO;
}
