package org.captchasolver.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.model.ModelBundle;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.solve.Solution;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that depends on the solver library alone, as a user's service would: compiled and run in its own JVM on
 * the captcha-solver module's classes and runtime class path (what Maven gives a project that depends on it).
 */
class SolverLibraryTest {
    private static final Path MODULES = Path.of("..").toAbsolutePath().normalize();
    @TempDir Path tmp;

    @Test
    void aProgramOnTheSolverAloneSolvesFromAnOnnxFileWithoutPytorch() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path onnx = Files.copy(model.resolve(ModelBundle.ONNX), tmp.resolve("reader.onnx"));
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        List<Path> images = index.entries().stream().limit(10).map(index::pathOf).toList();

        List<String> args = new ArrayList<>(List.of(onnx.toString()));
        images.forEach(p -> args.add(p.toString()));
        Run run = runTiny(args);
        assertThat(run.exit).as(run.output).isZero();
        List<String> lines = run.output.lines().toList();
        assertThat(lines).last().isEqualTo("engine=onnx pytorch-on-class-path=false");
        try (CaptchaSolver here = CaptchaSolver.load(onnx)) {
            for (int i = 0; i < images.size(); i++) {
                Solution expected = here.solve(images.get(i));
                String[] got = lines.get(i).split("\t");
                assertThat(got[0]).isEqualTo(expected.text());
                assertThat(Double.parseDouble(got[1])).isCloseTo(expected.confidence(), org.assertj.core.api.Assertions.within(1e-5));
            }
        }
    }

    @Test
    void aBundleWithoutOnnxTellsTheSolverAloneWhatToAdd() throws Exception {
        Path model = TestModels.sharedCrnn();
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.copy(model.resolve(ModelBundle.MANIFEST), old.resolve(ModelBundle.MANIFEST));
        Files.copy(model.resolve(ModelBundle.PARAMS), old.resolve(ModelBundle.PARAMS));
        Run run = runTiny(List.of(old.toString()));
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains(old + " needs PyTorch").contains("captcha-core").contains("captcha export");
    }

    @Test
    void theSolverLibraryPullsInNoTrainingChartOrTestLibrary() throws Exception {
        List<String> solver = classPath("solver");
        assertThat(solver).isNotEmpty().allSatisfy(jar -> assertThat(jar)
                .doesNotContainIgnoringCase("djl").doesNotContainIgnoringCase("pytorch").doesNotContainIgnoringCase("xchart")
                .doesNotContainIgnoringCase("pdfbox").doesNotContainIgnoringCase("progressbar").doesNotContainIgnoringCase("jline")
                .doesNotContainIgnoringCase("spark").doesNotContainIgnoringCase("picocli"));
        assertThat(solver).anySatisfy(jar -> assertThat(jar).contains("onnxruntime"));
        for (String module : List.of("solver", "core", "server", "spark")) {
            assertThat(classPath(module)).as(module + "'s runtime class path").noneSatisfy(jar -> assertThat(jar)
                    .containsAnyOf("junit", "assertj", "opentest4j", "hamcrest", "mockito"));
        }
    }

    private static List<String> classPath(String module) throws Exception {
        Path file = MODULES.resolve(module).resolve("target/runtime.classpath");
        assertThat(file).as("written by the build (maven-dependency-plugin)").isRegularFile();
        String text = Files.readString(file).strip();
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(File.pathSeparator));
    }

    private record Run(int exit, String output) {}

    private Run runTiny(List<String> args) throws Exception {
        String cp = MODULES.resolve("solver/target/classes") + File.pathSeparator + String.join(File.pathSeparator, classPath("solver"));
        Path src = Files.createDirectories(tmp.resolve("tiny/src"));
        Path classes = Files.createDirectories(tmp.resolve("tiny/classes"));
        Files.writeString(src.resolve("Tiny.java"), """
                import java.nio.file.Path;
                import org.captchasolver.solve.CaptchaSolver;
                import org.captchasolver.solve.Solution;

                public class Tiny {
                    public static void main(String[] args) throws Exception {
                        boolean pytorch;
                        try {
                            Class.forName("ai.djl.Model");
                            pytorch = true;
                        } catch (ClassNotFoundException e) {
                            pytorch = false;
                        }
                        try (CaptchaSolver solver = CaptchaSolver.load(Path.of(args[0]))) {
                            for (int i = 1; i < args.length; i++) {
                                Solution s = solver.solve(Path.of(args[i]));
                                System.out.println(s.text() + "\\t" + s.confidence());
                            }
                            System.out.println("engine=" + solver.engine() + " pytorch-on-class-path=" + pytorch);
                        } catch (Exception e) {
                            System.out.println(e.getMessage());
                            System.exit(2);
                        }
                    }
                }
                """, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-cp", cp, "-d", classes.toString(), src.resolve("Tiny.java").toString());
        assertThat(compiled).as("Tiny.java compiles against the solver alone").isZero();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp + File.pathSeparator + classes, "-Djava.awt.headless=true", "Tiny"));
        cmd.addAll(args);
        Path log = tmp.resolve("tiny.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }
}
