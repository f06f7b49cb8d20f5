package dev.tidings.cli.replay;

import java.io.PrintWriter;

/**
 * A status line that updates in place on a terminal ({@code \r}, padded over the previous text)
 * and, when the output is a file or a pipe, prints each change on a line of its own.
 *
 * <p>Not thread-safe: one thread shows the progress.
 */
final class ProgressLine {

    private final PrintWriter out;
    private final boolean rewrite;
    private String shown = "";
    private boolean open;

    ProgressLine(PrintWriter out, boolean rewrite) {
        this.out = out;
        this.rewrite = rewrite;
    }

    /** Shows {@code text} unless it is already shown. */
    void show(String text) {
        if (text.equals(shown)) {
            return;
        }
        if (rewrite) {
            out.print("\r" + text + " ".repeat(Math.max(0, shown.length() - text.length())));
            open = true;
        }
        else {
            out.println(text);
        }
        out.flush();
        shown = text;
    }

    /** Ends the line, so what comes next starts on a fresh one. */
    void end() {
        if (open) {
            out.println();
            out.flush();
            open = false;
        }
    }
}
