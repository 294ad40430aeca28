package org.captchasolver.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.captchasolver.common.AtomicFiles;
import org.captchasolver.eval.EvaluationMetrics;

/**
 * {@code report.html}: one self-contained page (figures inlined) that opens in any browser. A
 * small script records on the page whether every image decoded and whether any script error
 * happened, so a headless browser test can read both from the DOM.
 */
public final class ReportPage {
    private ReportPage() {}

    public static void write(Path file, String title, Map<String, String> summary, EvaluationMetrics m, List<Figure> figures)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}")
                .append("th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("figure{margin:2em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;margin-top:.4em}")
                .append(".big{font-size:2em;font-weight:bold}summary{cursor:pointer;font-weight:bold;margin:1em 0}</style>\n")
                .append("<script>window.__errors=0;window.addEventListener('error',function(){window.__errors++;});</script>\n")
                .append("</head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"big\">").append(String.format("%.2f%%", 100 * m.sequenceAccuracy()))
                .append(" of CAPTCHAs read correctly</p>\n<p>").append(m.correct()).append(" of ").append(m.images())
                .append(" images, ").append(m.split()).append(" set.</p>\n");
        h.append("<h2>Run</h2>\n<table>\n");
        summary.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</table>\n<h2>Metrics</h2>\n<table id=\"metrics\">\n");
        metricRows(m).forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td class=\"n\">").append(esc(v)).append("</td></tr>\n"));
        h.append("</table>\n");
        if (!m.mostConfused().isEmpty()) {
            h.append("<h3>Most confused characters</h3>\n<table><tr><th>true</th><th>read as</th><th>times</th></tr>\n");
            for (EvaluationMetrics.ConfusedPair p : m.mostConfused()) {
                h.append("<tr><td>").append(esc(p.truth())).append("</td><td>").append(esc(p.predicted())).append("</td><td class=\"n\">")
                        .append(p.count()).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Figures</h2>\n");
        String open = null;
        for (Figure f : figures) {
            if (open != null && !open.equals(f.folded())) {
                h.append("</details>\n");
                open = null;
            }
            if (f.folded() != null && open == null) {
                long n = figures.stream().filter(o -> f.folded().equals(o.folded())).count();
                h.append("<details><summary>").append(esc(f.folded())).append(" (").append(n).append(")</summary>\n");
                open = f.folded();
            }
            String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(f.file()));
            h.append("<figure><h3>").append(esc(f.title())).append("</h3><img alt=\"").append(esc(f.title()))
                    .append("\" src=\"data:image/png;base64,").append(b64).append("\"><figcaption>").append(esc(f.caption()))
                    .append("</figcaption></figure>\n");
        }
        if (open != null) {
            h.append("</details>\n");
        }
        h.append("<script>window.addEventListener('load',function(){var imgs=document.images,ok=0;")
                .append("for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0)ok++;}")
                .append("document.body.setAttribute('data-images',imgs.length);document.body.setAttribute('data-images-ok',ok);")
                .append("document.body.setAttribute('data-js-errors',window.__errors);});</script>\n");
        h.append("</body></html>\n");
        AtomicFiles.writeString(file, h.toString());
    }

    /** The metric table, formatted from the same record that is written as JSON. */
    public static Map<String, String> metricRows(EvaluationMetrics m) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("sequence accuracy", String.format("%.4f (%d/%d)", m.sequenceAccuracy(), m.correct(), m.images()));
        r.put("average character accuracy", String.format("%.4f", m.charAccuracy()));
        r.put("character error rate", String.format("%.4f", m.characterErrorRate()));
        r.put("accuracy per position", fmtList(m.positionAccuracy()));
        r.put("characters inserted / dropped / misread", m.insertions() + " / " + m.deletions() + " / " + m.substitutions());
        r.put("wrong characters per incorrect CAPTCHA", String.format("%.3f", m.avgWrongCharsPerIncorrect()));
        r.put("most common number of wrong characters", m.mostCommonErrorCount() == null ? "-" : String.valueOf(m.mostCommonErrorCount()));
        r.put("loss", m.loss() == null ? "-" : String.format("%.4f", m.loss()));
        r.put("validation loss", m.valLoss() == null ? "-" : String.format("%.4f", m.valLoss()));
        r.put("precision per position (macro)", fmtList(m.positionPrecision()));
        r.put("recall per position (macro)", fmtList(m.positionRecall()));
        r.put("ROC AUC", String.format("%.4f", m.rocAuc()));
        r.put("average precision", String.format("%.4f", m.averagePrecision()));
        r.put("expected calibration error", String.format("%.4f", m.expectedCalibrationError()));
        r.put("labels with characters the model does not know", String.valueOf(m.outsideCharset()));
        r.put("unreadable images", String.valueOf(m.unreadable()));
        r.put("speed (decode + inference)", String.format("%.0f images/s", m.imagesPerSecond()));
        return r;
    }

    private static String fmtList(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (Double d : v) {
            sb.append(sb.length() == 0 ? "" : "  ").append(String.format("%.3f", d));
        }
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
