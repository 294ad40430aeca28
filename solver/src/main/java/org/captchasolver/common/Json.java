package org.captchasolver.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one Jackson configuration the project uses. */
public final class Json {
    /** Ignores unknown properties, so that a newer file's additions do not stop an older reader. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    /**
     * Reads a JSON file.
     *
     * @throws CaptchaException naming the file when it is missing or is not valid JSON of that type
     */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new CaptchaException(file + " does not exist");
        }
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new CaptchaException(file + " is not valid " + type.getSimpleName() + " JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
