package org.captchasolver.label;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.captchasolver.dataset.LabelManifest;
import org.captchasolver.solve.CaptchaSolver;
import org.captchasolver.testing.Browser;
import org.captchasolver.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The labelling page in a real headless Chromium, against a real server and a real model. */
class LabelPageBrowserTest {
    @TempDir Path tmp;

    @Test
    void threeTypedLabelsAreInLabelsCsvAndStillThereAfterAReload() throws Exception {
        Browser.require();
        Path dir = TestModels.generate(tmp.resolve("images"), 6, 77);
        Map<String, String> truth = LabelManifest.read(dir.resolve(LabelManifest.FILE_NAME));
        Files.delete(dir.resolve(LabelManifest.FILE_NAME)); // an unlabelled folder
        LabelStore store = LabelStore.open(dir.resolve(LabelManifest.FILE_NAME));
        List<LabelQueue.Item> items;
        try (CaptchaSolver solver = CaptchaSolver.load(TestModels.sharedCrnn())) {
            items = LabelQueue.build(dir, store, solver, null);
        }
        assertThat(items).hasSize(6);
        assertThat(items).extracting(LabelQueue.Item::confidence).isSorted();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(Browser.CHROMIUM.toFile());
        options.addArguments(Browser.flags(tmp.resolve("profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        try (LabelServer server = LabelServer.start(dir, store, items, "127.0.0.1", 0)) {
            WebDriver driver = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
                driver.get(server.url() + "/");
                wait.until(d -> d.findElement(By.id("progress")).getText().equals("0 of 6 labelled"));
                List<String> typed = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    WebElement answer = driver.findElement(By.id("answer"));
                    String file = answer.getAttribute("data-file");
                    assertThat(file).as("least confident first").isEqualTo(items.get(i).file());
                    assertThat(answer.getAttribute("value")).as("the model's reading is pre-filled").isEqualTo(items.get(i).guess());
                    answer.sendKeys(Keys.chord(Keys.CONTROL, "a"), truth.get(file), Keys.ENTER);
                    typed.add(file);
                    int done = i + 1;
                    wait.until(d -> d.findElement(By.id("progress")).getAttribute("data-done").equals(String.valueOf(done)));
                }
                assertThat(LabelManifest.read(dir.resolve(LabelManifest.FILE_NAME))).as("on disk before the reload")
                        .hasSize(3).containsAllEntriesOf(typed.stream().collect(java.util.stream.Collectors.toMap(f -> f, truth::get)));

                driver.navigate().refresh();
                wait.until(d -> d.findElement(By.id("progress")).getText().equals("3 of 6 labelled"));
                assertThat(driver.findElement(By.id("answer")).getAttribute("data-file")).as("it goes on with the first open image")
                        .isEqualTo(items.get(3).file());
                driver.findElement(By.id("answer")).sendKeys(Keys.ESCAPE);
                wait.until(d -> typed.get(2).equals(d.findElement(By.id("answer")).getAttribute("data-file")));
                assertThat(driver.findElement(By.id("answer")).getAttribute("value")).as("a given label is shown back")
                        .isEqualTo(truth.get(typed.get(2)));
            } finally {
                driver.quit();
            }
        }
        Map<String, String> saved = LabelManifest.read(dir.resolve(LabelManifest.FILE_NAME));
        assertThat(saved).hasSize(3);
        for (String f : saved.keySet()) {
            assertThat(saved.get(f)).isEqualTo(truth.get(f));
        }
    }
}
