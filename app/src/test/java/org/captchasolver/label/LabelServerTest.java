package org.captchasolver.label;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.captchasolver.dataset.LabelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labelling server on a loopback port: it serves and writes only what its queue names. */
class LabelServerTest {
    @TempDir Path tmp;

    @Test
    void filesOutsideTheQueueAndMalformedAnswersGetA4xxAndLeaveLabelsCsvAlone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("images"));
        Files.write(dir.resolve("a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(tmp.resolve("secret.txt"), "not for the page");
        LabelStore store = LabelStore.open(dir.resolve(LabelManifest.FILE_NAME));
        HttpClient http = HttpClient.newHttpClient();
        try (LabelServer server = LabelServer.start(dir, store, List.of(new LabelQueue.Item("a.png", "", 0)), "127.0.0.1", 0)) {
            assertThat(get(http, server.url() + "/image?file=a.png").statusCode()).isEqualTo(200);
            assertThat(get(http, server.url() + "/image?file=../secret.txt").statusCode()).isEqualTo(404);
            assertThat(post(http, server.url() + "/api/label", "{\"file\":\"../secret.txt\",\"label\":\"x\"}").statusCode()).isEqualTo(400);
            assertThat(post(http, server.url() + "/api/label", "{\"file\":").statusCode()).isEqualTo(400);
            assertThat(post(http, server.url() + "/api/label", "{\"file\":\"a.png\",\"label\":\"  \"}").statusCode()).isEqualTo(400);
            assertThat(post(http, server.url() + "/api/label", "{\"file\":\"a.png\",\"label\":\"" + "y".repeat(5000) + "\"}")
                    .statusCode()).isEqualTo(413);
            assertThat(Files.exists(dir.resolve(LabelManifest.FILE_NAME))).isFalse();
            HttpResponse<String> ok = post(http, server.url() + "/api/label", "{\"file\":\"a.png\",\"label\":\"ab12\"}");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"labelled\":1");
        }
        assertThat(LabelManifest.read(dir.resolve(LabelManifest.FILE_NAME))).containsExactly(java.util.Map.entry("a.png", "ab12"));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
