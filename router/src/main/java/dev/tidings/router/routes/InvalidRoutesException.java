package dev.tidings.router.routes;

import java.util.List;
import java.util.stream.Collectors;

/** A routes file with mistakes; carries every one found, in file order. */
public class InvalidRoutesException extends RuntimeException {

    private final String source;
    private final List<RouteProblem> problems;

    public InvalidRoutesException(String source, List<RouteProblem> problems) {
        super(problems.size() + " problem(s) in " + source + ":\n" + problems.stream()
                .map(p -> "  " + source + ":" + p).collect(Collectors.joining("\n")));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the problems are in. */
    public String source() {
        return source;
    }

    /** Every problem found, in file order. */
    public List<RouteProblem> problems() {
        return problems;
    }
}
