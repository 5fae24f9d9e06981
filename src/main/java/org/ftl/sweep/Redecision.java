package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ftl.decide.DecisionFunction;
import org.ftl.decide.DecisionSettings;
import org.ftl.decide.MetricsFiles;
import org.ftl.decide.TopTable;
import org.ftl.job.SparkSettings;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ftl decide}'s work: a metrics CSV (a finished run's, or any) ranked again by a decision function, nothing
 * recomputed. The table is small, so it is ranked in local mode; of {@code spark.conf} only the file-system
 * settings ({@code spark.hadoop.*}) are used, to read and write where the sweep did.
 */
public final class Redecision {
    private Redecision() {
    }

    /**
     * Prints the decision and the top of the ranked table to {@code out}; writes the whole ranked table to
     * {@code rankedCsv} when it is not null (a note of that to {@code err}).
     */
    public static void run(String csv, DecisionSettings decision, Map<String, String> sparkConf, Configuration hadoop,
                           String rankedCsv, PrintWriter out, PrintWriter err) {
        Map<String, String> fileSystems = new TreeMap<>();
        sparkConf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                fileSystems.put(k, v);
            }
        });
        SparkSession spark = SparkSessions.start(new SparkSettings("local[2]", "ftl-decide", fileSystems));
        DecisionFunction d = new DecisionFunction(decision.score(), decision.constraints());
        d.validate(spark);
        Dataset<Row> ranked = d.rank(MetricsFiles.readCsv(spark, csv)).cache();
        out.println("decision: " + d.score() + (d.constraints().isEmpty() ? "" : "  where " + String.join(" and ", d.constraints())));
        TopTable.print(ranked, decision.top(), out);
        if (rankedCsv != null) {
            MetricsFiles.writeCsv(ranked, rankedCsv, hadoop);
            err.println("written to " + rankedCsv);
        }
    }
}
