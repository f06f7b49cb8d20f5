package dev.tidings.cli.node;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as left-aligned columns two spaces apart, the first row being the header. */
final class Table {

    private Table() {
    }

    static void print(PrintWriter out, List<List<String>> rows) {
        print(out, rows, "");
    }

    static void print(PrintWriter out, List<List<String>> rows, String indent) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int column = 0; column < columns; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int column = 0; column < columns; column++) {
                line.append(row.get(column));
                if (column < columns - 1) {
                    line.append(" ".repeat(widths[column] - row.get(column).length() + 2));
                }
            }
            out.println(line);
        }
    }
}
