package org.ftl.report;

import org.ftl.runs.RunRecord;
import org.ftl.runs.StageUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The report's provenance section from run.json: where the run ran and on what data, the library versions
 * (sorted by name), each stage's time and resources, the input files left out or repaired, and the settings.
 *
 * @param problems the files left out or repaired, one a line, or null when there were none
 * @param config   the merged settings as HOCON text ("" when run.json has none)
 */
record Provenance(List<Entry> run, List<Entry> versions, List<Entry> stages, String problems, String config) {
    record Entry(String key, String value) {
        Entry {
            value = value == null ? "" : value;
        }
    }

    static Provenance of(RunRecord record) {
        List<Entry> run = List.of(
                new Entry("run", record.run()),
                new Entry("finished", record.finished()),
                new Entry("host", record.host()),
                new Entry("data root", record.dataRoot()),
                new Entry("data fingerprint", record.dataFingerprint()),
                new Entry("classes", record.classes() == null ? "" : String.join(", ", record.classes())),
                new Entry("images", Report.fmt("%d training, %d evaluation, %d segmented; %d input files left out or repaired",
                        record.trainingImages(), record.evaluationImages(), record.segmentedImages(), record.inputProblems())),
                new Entry("candidates", Report.fmt("%d (%d failed)", record.candidates(), record.failedCandidates())),
                new Entry("winner", record.winner()));
        List<Entry> versions = new ArrayList<>();
        if (record.versions() != null) {
            new TreeMap<>(record.versions()).forEach((k, v) -> versions.add(new Entry(k, v)));
        }
        List<Entry> stages = new ArrayList<>();
        if (record.stageSeconds() != null) {
            record.stageSeconds().forEach((k, v) -> stages.add(new Entry(k, (v == null ? "" : Report.fmt("%.1f s", v))
                    + usage(record.stageUsage() == null ? null : record.stageUsage().get(k)))));
        }
        String problems = record.problems() == null || record.problems().isEmpty() ? null : String.join("\n", record.problems());
        return new Provenance(run, versions, stages, problems, record.config() == null ? "" : record.config());
    }

    /** ", 21.4 s CPU (0.8 system), peak 1,530 MB resident, 412,000 minor page faults", or "" when unknown. */
    private static String usage(StageUsage u) {
        if (u == null || u.cpuSeconds() == null) {
            return "";
        }
        String s = Report.fmt(", %.1f s CPU", u.cpuSeconds());
        if (u.systemCpuSeconds() != null) {
            s += Report.fmt(" (%.1f system)", u.systemCpuSeconds());
        }
        if (u.peakResidentBytes() != null) {
            s += Report.fmt(", peak %,d MB resident", u.peakResidentBytes() >> 20);
        }
        if (u.minorFaults() != null) {
            s += Report.fmt(", %,d minor page faults", u.minorFaults());
        }
        return s;
    }
}
