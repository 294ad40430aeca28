package org.captchasolver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CliReferenceTest {
    @Test
    void theCheckedInReferenceIsWhatTheCommandLinePrints() throws Exception {
        Path doc = Path.of("..", "docs", "cli.md");
        String generated = CliReference.render();
        assertThat(generated).contains("## captcha train", "## captcha spark solve", "--label-regex");
        assertThat(Files.readString(doc))
                .as("docs/cli.md is out of date: run java -cp app/target/captcha.jar org.captchasolver.cli.CliReference docs/cli.md")
                .isEqualTo(generated);
    }
}
