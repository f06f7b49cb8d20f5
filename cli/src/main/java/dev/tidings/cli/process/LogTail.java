package dev.tidings.cli.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, to show next to a failure without reading a whole log. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /** Up to {@code lines} last lines of the file; empty when it does not exist. */
    public static List<String> of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException ex) {
            return List.of("(cannot read " + file + ": " + ex.getMessage() + ")");
        }
    }

    /** The tail, indented, under a heading that names the file; a note when the file is empty. */
    public static String render(Path file, int lines) {
        List<String> tail = of(file, lines);
        if (tail.isEmpty() || tail.size() == 1 && tail.get(0).isBlank()) {
            return "  (" + file + " is empty)";
        }
        StringBuilder text = new StringBuilder("  last lines of " + file + ":");
        for (String line : tail) {
            text.append(System.lineSeparator()).append("  | ").append(line);
        }
        return text.toString();
    }
}
