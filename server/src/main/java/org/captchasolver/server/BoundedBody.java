package org.captchasolver.server;

import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A request body read with a limit that holds for every transfer encoding: a chunked body has no
 * length to check up front, so the bytes are counted as they arrive and the request is refused as soon
 * as the count passes the limit, before the rest is read.
 */
final class BoundedBody {
    private BoundedBody() {}

    /**
     * @throws SolveServer.BadRequest 413 past {@code limit} bytes, 408 when the client stops sending
     */
    static byte[] read(InputStream in, long limit, Duration timeout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        byte[] buffer = new byte[16_384];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > limit) {
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw classify(e, limit, timeout);
        }
        return out.toByteArray();
    }

    /** {@code in}, failing with 413 as soon as more than {@code limit} bytes have been read from it. */
    static InputStream limited(InputStream in, long limit) {
        return new java.io.FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && ++count > limit) {
                    throw tooLarge(limit);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && (count += n) > limit) {
                    throw tooLarge(limit);
                }
                return n;
            }
        };
    }

    /** A failure to read a request as the client's fault it is: too large (413), too slow (408) or malformed (400). */
    static SolveServer.BadRequest classify(Exception e, long limit, Duration timeout) {
        if (e instanceof SolveServer.BadRequest bad) {
            return bad;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SolveServer.BadRequest bad) {
                return bad; // raised by the counting stream inside a parser that wrapped it
            }
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.util.concurrent.TimeoutException || m.contains("Idle timeout") || m.contains("Timeout")) {
                LOG.info("client timeout: no request body for {} s", timeout.toSeconds());
                return new SolveServer.BadRequest(HttpStatus.REQUEST_TIMEOUT,
                        "the request body did not arrive within " + timeout.toSeconds() + " s");
            }
            if (m.contains("maxRequestSize") || m.contains("maxFileSize") || m.contains("exceeds")) {
                return tooLarge(limit);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new SolveServer.BadRequest("malformed request body: " + (root.getMessage() == null
                ? root.getClass().getSimpleName() : root.getMessage()));
    }

    private static SolveServer.BadRequest tooLarge(long limit) {
        return new SolveServer.BadRequest(HttpStatus.CONTENT_TOO_LARGE, "request body larger than " + limit + " bytes");
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BoundedBody.class);
}
