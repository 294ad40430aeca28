package org.captchasolver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.captchasolver.dataset.DatasetIndex;
import org.captchasolver.dataset.IndexEntry;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.Browser;
import org.captchasolver.testing.TestModels;
import org.captchasolver.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web page in a real headless Chromium: choose a generated CAPTCHA, read the answer off the page. */
class WebPageBrowserTest {
    @TempDir Path tmp;

    @Test
    void uploadingACaptchaShowsTheAnswer() throws Exception {
        Browser.require();
        Path model = TestModels.sharedCrnn();
        DatasetIndex index = DatasetIndex.read(new RunFolder(model).index());
        IndexEntry entry = index.entries().get(0);
        Path image = index.pathOf(entry);
        String expected;
        try (CaptchaSolver solver = CaptchaSolver.load(model)) {
            expected = solver.solve(image).text();
        }
        try (SolveServer server = SolveServer.start(ServerConfig.builder(model).port(0).build())) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(Browser.CHROMIUM.toFile());
            options.addArguments(Browser.flags(tmp.resolve("profile")));
            // The system chromedriver, never a downloaded one.
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
            WebDriver driver = new ChromeDriver(service, options);
            try {
                driver.get(server.url() + "/");
                new WebDriverWait(driver, Duration.ofSeconds(20))
                        .until(d -> !d.findElement(By.id("model")).getText().equals("…"));
                assertThat(driver.findElement(By.id("model")).getText()).contains("crnn");
                driver.findElement(By.id("file")).sendKeys(image.toAbsolutePath().toString());
                new WebDriverWait(driver, Duration.ofSeconds(20))
                        .until(d -> "done".equals(d.findElement(By.id("answer")).getAttribute("data-state")));
                assertThat(driver.findElement(By.id("answer")).getText()).isEqualTo(expected);
                assertThat(driver.findElement(By.id("confidence")).getText()).contains("confidence");
                assertThat(driver.findElement(By.id("preview")).isDisplayed()).isTrue();
            } finally {
                driver.quit();
            }
        }
    }
}
