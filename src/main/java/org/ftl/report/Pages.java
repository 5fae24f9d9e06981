package org.ftl.report;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.SpecMustacheFactory;
import com.github.mustachejava.util.HtmlEscaper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Renders a page's model with its Mustache template (resources in org/ftl/report/): every {@code {{value}}} is
 * HTML-escaped by Mustache, so the templates hold the markup and the models hold only text. report.mustache
 * ({@link ReportModel}) and criteria.mustache ({@link CriteriaPage.Page}) share the partials head (doctype,
 * title, the inline style sheet), chart (a {@link ChartImage}) and, in the report, table.
 */
final class Pages {
    /** Spec whitespace: a line holding only a section tag leaves no blank line in the page. */
    private static final MustacheFactory TEMPLATES = new SpecMustacheFactory("org/ftl/report") {
        @Override
        public void encode(String value, Writer writer) {
            // HtmlEscaper writes a line break as "&#10;": the same text in a browser, but the settings and the
            // errors in <pre> would then read as one line in the page's source, so line breaks are kept as they are
            try {
                int from = 0;
                for (int nl = value.indexOf('\n'); nl >= 0; nl = value.indexOf('\n', from)) {
                    HtmlEscaper.escape(value.substring(from, nl), writer);
                    writer.write('\n');
                    from = nl + 1;
                }
                HtmlEscaper.escape(value.substring(from), writer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private Pages() {
    }

    /** The page: {@code template} (e.g. "report.mustache") filled from {@code model}'s record components. */
    static String render(String template, Object model) {
        Mustache page = TEMPLATES.compile(template);
        StringWriter out = new StringWriter(200_000);
        page.execute(out, model);
        return out.toString();
    }
}
