package org.ftl.report;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metrics.csv with univocity (the CSV parser Spark itself uses, so it is always on the classpath):
 * quoted fields with commas, quotes and line breaks — the error and confusion columns — come back whole.
 */
public final class MetricsCsv {
    private MetricsCsv() {
    }

    public static List<MetricsRow> parse(byte[] csv) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(true);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(-1);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        CsvParser parser = new CsvParser(settings);
        List<MetricsRow> rows = new ArrayList<>();
        parser.beginParsing(new ByteArrayInputStream(csv), StandardCharsets.UTF_8);
        try {
            String[] header = parser.getContext().headers();
            String[] record;
            while ((record = parser.parseNext()) != null) {
                if (header == null) {
                    header = parser.getContext().headers();
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    values.put(header[i], i < record.length && record[i] != null ? record[i] : "");
                }
                rows.add(new MetricsRow(values));
            }
        } finally {
            parser.stopParsing();
        }
        return rows;
    }
}
