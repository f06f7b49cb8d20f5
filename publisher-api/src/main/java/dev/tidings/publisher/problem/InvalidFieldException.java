package dev.tidings.publisher.problem;

import org.springframework.http.ProblemDetail;

/** A request field that is missing or invalid (422), naming the field by its JSON path in {@code field}. */
public class InvalidFieldException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** JSON path of the field, e.g. {@code target.ids[0]}. */
    public String field() {
        return field;
    }

    @Override
    public ProblemDetail problem() {
        ProblemDetail problem = Problems.of(ProblemType.INVALID_FIELD, getMessage());
        problem.setProperty("field", field);
        return problem;
    }
}
