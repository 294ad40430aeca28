package org.captchasolver.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.dataset.DatasetIndex;

/** The audit as a page: one row per suspect, its image inline, the label against the reading. */
final class AuditPage {
    /** Rows with their image inline; past these the page lists names only, to stay small. */
    static final int THUMBNAILS = 300;
    private static final long MAX_INLINE_BYTES = 256 * 1024;

    private AuditPage() {}

    static void write(Path file, DatasetIndex index, List<LabelAudit.Suspect> suspects, int images) throws IOException {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>label audit</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}")
                .append("td,th{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left}")
                .append("img{max-height:60px;background:#eee}.label{color:#b00;font-family:monospace;font-size:1.2rem}")
                .append(".reading{color:#070;font-family:monospace;font-size:1.2rem}</style></head><body>")
                .append("<h1>Suspected label errors</h1><p>").append(suspects.size()).append(" of ").append(images)
                .append(" images were read otherwise than labelled by a model that did not train on them, the surest "
                        + "contradictions first (log odds = ln P(reading) − ln P(label), under the model that read it). Walk them with <code>captcha label "
                        + "DIR --list suspects.csv</code>.</p>")
                .append("<table id=\"suspects\"><tr><th>#</th><th>image</th><th>label</th><th>reading</th>")
                .append("<th>confidence</th><th>log odds</th><th>file</th></tr>");
        for (int i = 0; i < suspects.size(); i++) {
            LabelAudit.Suspect s = suspects.get(i);
            html.append("<tr><td>").append(i + 1).append("</td><td>");
            if (i < THUMBNAILS) {
                html.append(inline(index.root().resolve(s.file())));
            }
            html.append("</td><td class=\"label\">").append(escape(s.label())).append("</td><td class=\"reading\">")
                    .append(escape(s.reading())).append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.4f", s.confidence()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.2f", s.logOdds())).append("</td><td>")
                    .append(escape(s.file())).append("</td></tr>");
        }
        html.append("</table></body></html>\n");
        AtomicFiles.writeString(file, html.toString());
    }

    private static String inline(Path image) {
        try {
            if (Files.size(image) > MAX_INLINE_BYTES) {
                return "(large)";
            }
            String type = Files.probeContentType(image);
            return "<img alt=\"\" src=\"data:" + (type != null ? type : "image/png") + ";base64,"
                    + Base64.getEncoder().encodeToString(Files.readAllBytes(image)) + "\">";
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
