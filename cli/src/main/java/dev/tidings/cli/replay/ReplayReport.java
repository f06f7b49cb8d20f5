package dev.tidings.cli.replay;

import java.util.ArrayList;
import java.util.List;

/** What {@code tidings replay} tells the operator about a job: the progress line and the closing summary. */
final class ReplayReport {

    static final String TRUNCATED = "stopped at the publisher's limit (tidings.publisher.max-replay-records): "
            + "narrow --from/--to, --event or the target and run again for the rest";

    private ReplayReport() {
    }

    /** One line of progress, rewritten in place while the job runs. */
    static String progress(ReplayJob job) {
        String counts = "scanned " + job.scanned() + ", matched " + job.matched();
        if (!job.dryRun()) {
            counts += ", published " + job.published();
        }
        return (job.dryRun() ? "dry run " : "replay ") + job.status().toLowerCase(java.util.Locale.ROOT)
                + ": " + counts;
    }

    /** The lines that close a run: what happened, and what to do next when there is something to do. */
    static List<String> summary(ReplayJob job) {
        List<String> lines = new ArrayList<>();
        String range = "published from " + job.from() + " to " + job.to();
        if (job.dryRun()) {
            switch (job.status()) {
                case ReplayJob.COMPLETED -> {
                    lines.add("dry run: would replay " + (job.truncated() ? "at least " : "") + count(job.matched())
                            + " (scanned " + job.scanned() + ", " + range + ")");
                    if (job.matched() > 0) {
                        lines.add("run the same command without --dry-run to replay them");
                    }
                }
                case ReplayJob.FAILED -> lines.add("dry run failed: " + reason(job) + " (scanned " + job.scanned()
                        + ", matched " + job.matched() + " so far)");
                default -> lines.add("dry run " + job.status().toLowerCase(java.util.Locale.ROOT) + ": matched "
                        + job.matched() + " so far (scanned " + job.scanned() + ", " + range + ")");
            }
        }
        else {
            String counts = "published " + job.published() + " of " + count(job.matched()) + " matched";
            switch (job.status()) {
                case ReplayJob.COMPLETED -> lines.add("replay completed: " + counts + " (scanned " + job.scanned()
                        + ", " + range + ")");
                case ReplayJob.CANCELLED -> lines.add("replay cancelled: " + counts + " so far (scanned "
                        + job.scanned() + "); the rest was not replayed");
                case ReplayJob.FAILED -> lines.add("replay failed: " + reason(job) + "; " + counts + " (scanned "
                        + job.scanned() + ")");
                default -> lines.add("replay " + job.status().toLowerCase(java.util.Locale.ROOT) + ": " + counts
                        + " so far (scanned " + job.scanned() + ")");
            }
        }
        if (job.truncated()) {
            lines.add(TRUNCATED);
        }
        return lines;
    }

    private static String count(long notifications) {
        return notifications + (notifications == 1 ? " notification" : " notifications");
    }

    private static String reason(ReplayJob job) {
        return job.error() != null && !job.error().isBlank() ? job.error() : "the publisher gave no reason";
    }
}
