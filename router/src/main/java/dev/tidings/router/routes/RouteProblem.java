package dev.tidings.router.routes;

/**
 * One mistake in a routes file.
 *
 * @param line 1-based line
 * @param column 1-based column
 * @param message what is wrong, naming the key
 */
public record RouteProblem(int line, int column, String message) {

    @Override
    public String toString() {
        return line + ":" + column + ": " + message;
    }
}
